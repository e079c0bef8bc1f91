// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/ConversationStore.h"

#include <QAbstractListModel>

namespace ApoloDeploy {

// Saved conversations, newest first, refreshed when the store saves or removes one.
class ConversationListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConversationListModel)

public:
    enum Role { IdRole = Qt::UserRole + 1, UpdatedRole, ModelRole, MessageCountRole };
    Q_ENUM(Role)

    explicit ConversationListModel(ConversationStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void refresh();
    int rowOf(const QString &id) const;
    QString idAt(int row) const;
    QStringList loadErrors() const { return m_store->loadErrors(); }

private:
    void onSaved(const QString &id);

    ConversationStore *m_store;
    QList<ConversationSummary> m_items;
};

} // namespace ApoloDeploy
