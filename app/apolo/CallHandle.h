// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloClient.h"

#include <QElapsedTimer>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>

namespace ApoloDeploy {

// One HTTP request as the client sends it (internal to app/apolo).
struct RequestSpec
{
    QByteArray method = "GET";
    QUrl url;
    QByteArray body;
    QByteArray contentType; // set for bodies
    QByteArray accept = "application/json";
    bool authenticated = true; // sends the bearer token (trusted hosts only)
    bool idempotent = false;   // retried on transient failures
    bool refreshOn401 = true;  // false: a 401 is just an answer (admin fallback)
    QList<int> successStatuses{200};
    int transferTimeoutMs = -1;                      // -1 = the client's default, 0 = none (streams)
    std::function<void(const QByteArray &)> onChunk; // streaming: body bytes as they arrive
};

struct HttpOutcome
{
    ApoloError error; // Kind::None on a success status
    int status = 0;
    QByteArray body; // empty when streamed through onChunk
    QByteArray xError;
};

// The ApoloCall behind every public method: tracks the caller's context, runs one or more
// exchanges (with retries, token refresh, host checks) and delivers exactly one result.
class CallHandle final : public ApoloCall
{
    Q_OBJECT

public:
    CallHandle(ApoloClient *client, QObject *context);
    ~CallHandle() override;

    void abort() override;
    // Runs the request; `done` runs from the event loop unless the call was abandoned.
    void send(const RequestSpec &spec, std::function<void(const HttpOutcome &)> done);
    // Delivers the result (if the context is still alive) and deletes the call.
    template <typename T> void finish(const ApoloClient::Callback<T> &callback, const ApoloResult<T> &result)
    {
        if (m_finished)
            return;
        m_finished = true;
        if (!m_hasContext || m_context)
            callback(result);
        deleteLater();
    }
    // finish() on the next event loop turn (for failures found before any request was sent).
    template <typename T> void finishLater(const ApoloClient::Callback<T> &callback, const ApoloError &error)
    {
        QTimer::singleShot(0, this, [this, callback, error] { finish<T>(callback, error); });
    }
    bool isAbandoned() const { return m_hasContext && !m_context; }
    bool wasAborted() const { return m_userAborted; }
    ApoloClient *client() const { return m_client; }

private:
    void attempt(int attemptNumber, bool refreshed);
    void onReplyFinished(QNetworkReply *reply, int attemptNumber, bool refreshed);
    void deliver(const HttpOutcome &outcome);
    QNetworkRequest buildRequest() const;

    ApoloClient *m_client;
    QPointer<QObject> m_context;
    bool m_hasContext = false;
    bool m_userAborted = false;
    bool m_finished = false;
    bool m_redirectRefused = false;
    bool m_streamStarted = false;
    QString m_redirectTarget;
    RequestSpec m_spec;
    std::function<void(const HttpOutcome &)> m_done;
    QPointer<QNetworkReply> m_reply;
    QTimer m_waitingTimer;
    QElapsedTimer m_elapsed;
};

} // namespace ApoloDeploy
