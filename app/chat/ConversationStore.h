// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/Conversation.h"

#include <QObject>

namespace ApoloDeploy {

struct ConversationSummary
{
    QString id;
    QString title;
    QString model;
    QDateTime updatedAt;
    int messageCount = 0;
};

// Conversations on disk: one "<id>.json" per conversation in the app's data folder
// ($APOLO_DEPLOY_CONFIG_DIR/conversations for tests and portable use). Every write goes through
// QSaveFile, so a crash mid-write leaves the previous version intact.
class ConversationStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConversationStore)

public:
    explicit ConversationStore(const QString &directory = defaultDirectory(), QObject *parent = nullptr);

    static QString defaultDirectory();
    QString directory() const { return m_directory; }
    QString filePath(const QString &id) const;

    // Newest first. Files that cannot be read are skipped and reported in loadErrors().
    QList<ConversationSummary> list();
    QStringList loadErrors() const { return m_loadErrors; }
    std::optional<Conversation> load(const QString &id, QString *error = nullptr) const;
    bool save(const Conversation &conversation, QString *error = nullptr);
    bool remove(const QString &id, QString *error = nullptr);
    static bool exportMarkdown(const Conversation &conversation, const QString &path, QString *error = nullptr);

Q_SIGNALS:
    void saved(const QString &id);
    void removed(const QString &id);

private:
    bool ensureDirectory(QString *error);

    QString m_directory;
    QStringList m_loadErrors;
};

} // namespace ApoloDeploy
