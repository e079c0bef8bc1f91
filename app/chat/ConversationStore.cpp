// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ConversationStore.h"

#include "chat/ChatLogging.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>

namespace ApoloDeploy {

namespace {

constexpr qint64 maxFileBytes = 256 * 1024 * 1024;

bool isSafeId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9-]{1,64}$"));
    return pattern.match(id).hasMatch();
}

bool writeAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = ConversationStore::tr("Could not write %1: %2. Check that the folder is writable and the "
                                           "disk is not full.")
                         .arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    return true;
}

} // namespace

ConversationStore::ConversationStore(const QString &directory, QObject *parent)
    : QObject(parent)
    , m_directory(directory)
{}

QString ConversationStore::defaultDirectory()
{
    const QByteArray overrideDir = qgetenv("APOLO_DEPLOY_CONFIG_DIR");
    if (!overrideDir.isEmpty())
        return QString::fromLocal8Bit(overrideDir) + QStringLiteral("/conversations");
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/conversations");
}

QString ConversationStore::filePath(const QString &id) const
{
    return m_directory + QLatin1Char('/') + id + QStringLiteral(".json");
}

bool ConversationStore::ensureDirectory(QString *error)
{
    if (QDir().mkpath(m_directory))
        return true;
    if (error)
        *error = tr("Could not create the conversations folder %1.").arg(QDir::toNativeSeparators(m_directory));
    return false;
}

QList<ConversationSummary> ConversationStore::list()
{
    m_loadErrors.clear();
    QList<ConversationSummary> summaries;
    const QFileInfoList files = QDir(m_directory).entryInfoList({QStringLiteral("*.json")}, QDir::Files);
    for (const QFileInfo &info : files) {
        QString error;
        const std::optional<Conversation> conversation = load(info.completeBaseName(), &error);
        if (!conversation) {
            m_loadErrors << error;
            continue;
        }
        summaries.append({conversation->id,
                          conversation->title.isEmpty() ? conversation->suggestedTitle() : conversation->title,
                          conversation->model, conversation->updatedAt, int(conversation->messages.size())});
    }
    std::sort(summaries.begin(), summaries.end(),
              [](const ConversationSummary &a, const ConversationSummary &b) { return a.updatedAt > b.updatedAt; });
    return summaries;
}

std::optional<Conversation> ConversationStore::load(const QString &id, QString *error) const
{
    const QString path = filePath(id);
    if (!isSafeId(id)) {
        if (error)
            *error = tr("%1 is not a conversation file name.").arg(QDir::toNativeSeparators(path));
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > maxFileBytes) {
        if (error)
            *error = tr("Could not read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (error)
            *error = tr("%1 is damaged (%2); it was left untouched.")
                         .arg(QDir::toNativeSeparators(path), parseError.errorString());
        return std::nullopt;
    }
    QString reason;
    std::optional<Conversation> conversation = Conversation::fromJson(document.object(), &reason);
    if (!conversation && error)
        *error = tr("Could not open %1: %2").arg(QDir::toNativeSeparators(path), reason);
    return conversation;
}

bool ConversationStore::save(const Conversation &conversation, QString *error)
{
    if (!isSafeId(conversation.id)) {
        if (error)
            *error = tr("The conversation has no valid id.");
        return false;
    }
    if (!ensureDirectory(error))
        return false;
    const QByteArray bytes = QJsonDocument(conversation.toJson()).toJson(QJsonDocument::Indented);
    if (!writeAtomically(filePath(conversation.id), bytes, error))
        return false;
    Q_EMIT saved(conversation.id);
    return true;
}

bool ConversationStore::remove(const QString &id, QString *error)
{
    if (!isSafeId(id) || !QFile::remove(filePath(id))) {
        if (error)
            *error = tr("Could not delete %1.").arg(QDir::toNativeSeparators(filePath(id)));
        return false;
    }
    Q_EMIT removed(id);
    return true;
}

bool ConversationStore::exportMarkdown(const Conversation &conversation, const QString &path, QString *error)
{
    return writeAtomically(path, conversation.toMarkdown().toUtf8(), error);
}

} // namespace ApoloDeploy
