// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/SingleInstance.h"

#include "core/AppInfo.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QLoggingCategory>
#include <QTimer>

namespace ApoloDeploy {

Q_LOGGING_CATEGORY(lcSingleInstance, "adc.ui.singleinstance")

namespace {
constexpr char raiseMessage[] = "raise\n";
constexpr char acknowledgement[] = "ok\n";
} // namespace

SingleInstance::SingleInstance(const QString &stateDirectory, QObject *parent)
    : QObject(parent)
    , m_lockFilePath(QDir(stateDirectory).filePath(QStringLiteral("instance.lock")))
{
    // Socket names live in a shared folder (/tmp on Linux): the hash keeps them short and unique
    // per state folder, the user-only access option keeps other users out.
    const QByteArray folderHash =
        QCryptographicHash::hash(QDir(stateDirectory).absolutePath().toUtf8(), QCryptographicHash::Sha256).toHex();
    m_serverName =
        QLatin1String(AppInfo::applicationName) + QLatin1Char('-') + QString::fromLatin1(folderHash.left(16));
}

SingleInstance::~SingleInstance() = default;

bool SingleInstance::tryBecomePrimary()
{
    if (!QDir().mkpath(QFileInfo(m_lockFilePath).absolutePath())) {
        qCWarning(lcSingleInstance) << "cannot create" << QFileInfo(m_lockFilePath).absolutePath()
                                    << "; starting without the single-instance check";
        return true;
    }
    m_lock = std::make_unique<QLockFile>(m_lockFilePath);
    // A lock held by a live process is never stale, however old (the default would steal it
    // after 30 s); a crashed owner's lock is detected by its dead PID.
    m_lock->setStaleLockTime(0);
    if (m_lock->tryLock(0)) {
        listen();
        return true;
    }
    if (m_lock->error() != QLockFile::LockFailedError) {
        qCWarning(lcSingleInstance) << "cannot write the lock file" << m_lockFilePath
                                    << "; starting without the single-instance check";
        m_lock.reset();
        return true;
    }
    m_lock.reset();
    return false;
}

void SingleInstance::listen()
{
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    // We hold the lock, so a socket file left by a crashed primary is safe to remove.
    QLocalServer::removeServer(m_serverName);
    if (!m_server->listen(m_serverName)) {
        qCWarning(lcSingleInstance) << "cannot listen on" << m_serverName << m_server->errorString()
                                    << "; later launches will not be able to raise this window";
        return;
    }
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine())
                return;
            if (socket->readLine(64) == QByteArray(raiseMessage)) {
                qCDebug(lcSingleInstance) << "raise requested by a later launch";
                Q_EMIT raiseRequested();
                socket->write(acknowledgement);
            }
            socket->disconnectFromServer();
        });
    }
}

void SingleInstance::requestRaise()
{
    m_client = new QLocalSocket(this);
    m_handOffTimer = new QTimer(this);
    m_handOffTimer->setSingleShot(true);
    connect(m_handOffTimer, &QTimer::timeout, this, [this] {
        finishHandOff(false, tr("Apolo Deploy Console is already running but did not answer within %n second(s). "
                                "If it is stuck, end it and start the console again.",
                                nullptr, handOffTimeoutMs / 1000));
    });
    connect(m_client, &QLocalSocket::connected, this, [this] { m_client->write(raiseMessage); });
    connect(m_client, &QLocalSocket::readyRead, this, [this] {
        if (m_client->canReadLine())
            finishHandOff(m_client->readLine(64) == QByteArray(acknowledgement),
                          tr("The running console refused the request."));
    });
    connect(m_client, &QLocalSocket::errorOccurred, this, [this] {
        finishHandOff(false, tr("Apolo Deploy Console is already running (lock %1) but cannot be reached: %2.")
                                 .arg(m_lockFilePath, m_client->errorString()));
    });
    m_handOffTimer->start(handOffTimeoutMs);
    m_client->connectToServer(m_serverName);
}

void SingleInstance::finishHandOff(bool delivered, const QString &error)
{
    if (!m_handOffTimer || !m_handOffTimer->isActive())
        return; // already reported
    m_handOffTimer->stop();
    m_client->disconnect(this);
    m_client->abort();
    Q_EMIT handOffFinished(delivered, delivered ? QString() : error);
}

} // namespace ApoloDeploy
