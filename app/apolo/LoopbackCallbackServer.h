// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QUrlQuery>

class QTcpServer;
class QTcpSocket;

namespace ApoloDeploy {

// The OAuth redirect target of the browser sign-in: a tiny HTTP listener on 127.0.0.1 only
// (never on all interfaces, unlike QOAuthHttpServerReplyHandler), on the first free port of the
// registered callback URLs. redirectUri() has no trailing slash, exactly as registered.
class LoopbackCallbackServer final : public QObject
{
    Q_OBJECT

public:
    explicit LoopbackCallbackServer(QObject *parent = nullptr);
    ~LoopbackCallbackServer() override;

    // Tries each port in order; false when none is free (errorString() says which were tried).
    bool listen(const QList<quint16> &ports);
    quint16 port() const;
    QUrl redirectUri() const;
    QString errorString() const { return m_error; }
    // Where the browser goes after a successful callback (else a short text page).
    void setSuccessRedirect(const QUrl &url) { m_successRedirect = url; }
    void close();

Q_SIGNALS:
    // GET /?code=… or /?error=…; other requests (favicon, probes) are answered 404 and ignored.
    void callbackReceived(const QUrlQuery &query);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void respond(QTcpSocket *socket, int status, const QByteArray &reason, const QByteArray &body,
                 const QByteArray &location = QByteArray());

    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QUrl m_successRedirect;
    QString m_error;
    bool m_answered = false;
};

} // namespace ApoloDeploy
