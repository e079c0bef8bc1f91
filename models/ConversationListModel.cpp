// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/ConversationListModel.h"

#include <QLocale>

namespace ApoloDeploy {

ConversationListModel::ConversationListModel(ConversationStore *store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
    connect(store, &ConversationStore::saved, this, &ConversationListModel::onSaved);
    connect(store, &ConversationStore::removed, this, [this](const QString &id) {
        const int row = rowOf(id);
        if (row < 0)
            return;
        beginRemoveRows({}, row, row);
        m_items.removeAt(row);
        endRemoveRows();
    });
    refresh();
}

void ConversationListModel::refresh()
{
    beginResetModel();
    m_items = m_store->list();
    endResetModel();
}

// A streaming answer saves every second: update the one row instead of re-reading the folder.
void ConversationListModel::onSaved(const QString &id)
{
    const std::optional<Conversation> conversation = m_store->load(id);
    if (!conversation)
        return;
    const ConversationSummary summary{
        conversation->id, conversation->title.isEmpty() ? conversation->suggestedTitle() : conversation->title,
        conversation->model, conversation->updatedAt, int(conversation->messages.size())};
    const int row = rowOf(id);
    if (row == 0) {
        m_items[0] = summary;
        Q_EMIT dataChanged(index(0), index(0));
        return;
    }
    if (row > 0) {
        beginMoveRows({}, row, row, {}, 0);
        m_items.move(row, 0);
        endMoveRows();
        m_items[0] = summary;
        Q_EMIT dataChanged(index(0), index(0));
        return;
    }
    beginInsertRows({}, 0, 0);
    m_items.prepend(summary);
    endInsertRows();
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConversationSummary &item = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return item.title;
    case Qt::ToolTipRole:
        return tr("%1\n%2 · %n message(s)", nullptr, item.messageCount)
            .arg(item.title, QLocale().toString(item.updatedAt.toLocalTime(), QLocale::ShortFormat));
    case IdRole: return item.id;
    case UpdatedRole: return item.updatedAt;
    case ModelRole: return item.model;
    case MessageCountRole: return item.messageCount;
    default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{IdRole, "id"}, {UpdatedRole, "updated"}, {ModelRole, "model"}, {MessageCountRole, "messageCount"}});
    return names;
}

int ConversationListModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_items.size(); ++row) {
        if (m_items.at(row).id == id)
            return row;
    }
    return -1;
}

QString ConversationListModel::idAt(int row) const
{
    return row >= 0 && row < m_items.size() ? m_items.at(row).id : QString();
}

} // namespace ApoloDeploy
