// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

#include <memory>

class QLocalServer;
class QLocalSocket;
class QLockFile;
class QTimer;

namespace ApoloDeploy {

// One console per user and configuration folder (KeePassXC's pattern): a QLockFile decides who is
// first, and the first instance listens on a user-only QLocalServer. A later launch asks it to
// raise its window and then exits.
//
// Both the lock and the socket name derive from the state folder, so a different
// APOLO_DEPLOY_CONFIG_DIR (tests, portable use) is an independent instance.
class SingleInstance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    explicit SingleInstance(const QString &stateDirectory, QObject *parent = nullptr);
    ~SingleInstance() override;

    // Takes the lock. True means this is the primary instance (it now listens for later
    // launches); also true, with a warning logged, when the lock cannot be created at all, so
    // that a read-only folder never stops the console from starting.
    bool tryBecomePrimary();
    // Secondary only: asks the primary to raise its window. handOffFinished() follows from the
    // event loop; nothing blocks.
    void requestRaise();

    QString lockFilePath() const { return m_lockFilePath; }
    QString serverName() const { return m_serverName; }

    static constexpr int handOffTimeoutMs = 3000;

Q_SIGNALS:
    // Primary: a later launch wants the window in front.
    void raiseRequested();
    // Secondary: delivered is false (with a user-facing error) when the primary did not answer.
    void handOffFinished(bool delivered, const QString &error);

private:
    void listen();
    void onNewConnection();
    void finishHandOff(bool delivered, const QString &error);

    QString m_lockFilePath;
    QString m_serverName;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer *m_server = nullptr;
    QLocalSocket *m_client = nullptr;
    QTimer *m_handOffTimer = nullptr;
};

} // namespace ApoloDeploy
