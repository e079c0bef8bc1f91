// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/CallHandle.h"

#include "apolo/ApiJson.h"
#include "apolo/ApoloLogging.h"
#include "core/AppInfo.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>

#include <memory>

namespace ApoloDeploy {

namespace {

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 &&
           a.port(a.scheme() == QLatin1String("https") ? 443 : 80) ==
               b.port(b.scheme() == QLatin1String("https") ? 443 : 80);
}

} // namespace

CallHandle::CallHandle(ApoloClient *client, QObject *context)
    : ApoloCall(client)
    , m_client(client)
    , m_context(context)
    , m_hasContext(context != nullptr)
{
    if (context) {
        // The caller went away: drop the request and never call back.
        connect(context, &QObject::destroyed, this, [this] { deleteLater(); });
    }
    m_waitingTimer.setInterval(1000);
    connect(&m_waitingTimer, &QTimer::timeout, this, [this] { Q_EMIT waiting(int(m_elapsed.elapsed())); });
}

CallHandle::~CallHandle()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void CallHandle::abort()
{
    if (m_userAborted || m_finished)
        return;
    m_userAborted = true;
    if (m_reply && m_reply->isRunning()) {
        m_reply->abort(); // onReplyFinished reports Cancelled
        return;
    }
    // Between attempts (retry delay, token refresh): report at once, from the event loop.
    QTimer::singleShot(0, this, [this] {
        ApoloError error;
        error.kind = ApoloError::Kind::Cancelled;
        error.message = tr("Cancelled.");
        deliver(HttpOutcome{error, 0, {}, {}});
    });
}

void CallHandle::send(const RequestSpec &spec, std::function<void(const HttpOutcome &)> done)
{
    m_spec = spec;
    m_done = std::move(done);
    m_streamStarted = false;
    if (!m_elapsed.isValid())
        m_elapsed.start();
    m_waitingTimer.start();
    attempt(0, false);
}

QNetworkRequest CallHandle::buildRequest() const
{
    QNetworkRequest request(m_spec.url);
    request.setRawHeader("User-Agent", "ApoloDeploy/" + AppInfo::version().toUtf8());
    if (!m_spec.accept.isEmpty())
        request.setRawHeader("Accept", m_spec.accept);
    if (!m_spec.contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, m_spec.contentType);
    if (m_spec.authenticated && !m_client->credentials().accessToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_client->credentials().accessToken.toUtf8());
    if (m_spec.onChunk)
        request.setRawHeader("Accept-Encoding", "identity");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::UserVerifiedRedirectPolicy);
    request.setTransferTimeout(m_spec.transferTimeoutMs >= 0 ? m_spec.transferTimeoutMs : m_client->transferTimeout());
    return request;
}

void CallHandle::attempt(int attemptNumber, bool refreshed)
{
    auto failLater = [this](const ApoloError &error) {
        QTimer::singleShot(0, this, [this, error] { deliver(HttpOutcome{error, 0, {}, {}}); });
    };
    if (m_userAborted) {
        ApoloError error;
        error.kind = ApoloError::Kind::Cancelled;
        error.message = tr("Cancelled.");
        return failLater(error);
    }
    if (const ApoloError insecure = ApoloClient::checkTransport(m_spec.url); insecure.isError())
        return failLater(insecure);
    if (m_spec.authenticated && !m_client->isTrustedHost(m_spec.url)) {
        ApoloError error;
        error.kind = ApoloError::Kind::Insecure;
        error.message = tr("Refusing to send your Apolo token to %1: it is not one of the platform's hosts.")
                            .arg(m_spec.url.host());
        error.hint = tr("Check the API URL; only hosts listed by the platform's /config receive the token.");
        return failLater(error);
    }
    if (m_spec.authenticated && !refreshed && m_client->credentials().needsRefresh(QDateTime::currentDateTimeUtc())) {
        // Proceed with the old token when renewal fails: it may still be valid until it expires.
        m_client->refreshCredentials(
            this, [this, attemptNumber](const ApoloResult<Credentials> &) { attempt(attemptNumber, true); });
        return;
    }

    m_redirectRefused = false;
    QNetworkReply *reply = m_client->network()->sendCustomRequest(buildRequest(), m_spec.method, m_spec.body);
    reply->setParent(this);
    m_reply = reply;
    qCDebug(lcApolo).noquote() << m_spec.method << m_spec.url.toDisplayString(QUrl::RemoveQuery) << "attempt"
                               << attemptNumber + 1;
    auto currentUrl = std::make_shared<QUrl>(m_spec.url); // reply->url() already names the target here
    connect(reply, &QNetworkReply::redirected, this, [this, reply, currentUrl](const QUrl &target) {
        const QUrl from = *currentUrl;
        const bool downgrade = from.scheme() == QLatin1String("https") && target.scheme() != QLatin1String("https");
        bool allowed = !ApoloClient::checkTransport(target).isError() && !downgrade;
        // The bearer token must never follow a redirect to a host the platform did not name.
        if (allowed && m_spec.authenticated)
            allowed = sameOrigin(from, target) || m_client->isTrustedHost(target);
        if (allowed) {
            *currentUrl = target;
            Q_EMIT reply->redirectAllowed();
            return;
        }
        m_redirectRefused = true;
        m_redirectTarget = target.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveUserInfo);
        reply->abort();
    });
    connect(reply, &QNetworkReply::downloadProgress, this, &ApoloCall::progress);
    if (m_spec.onChunk) {
        connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (!m_spec.successStatuses.contains(status))
                return; // error bodies are read whole in onReplyFinished
            m_streamStarted = true;
            m_waitingTimer.stop();
            m_spec.onChunk(reply->readAll());
        });
    }
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, attemptNumber, refreshed] { onReplyFinished(reply, attemptNumber, refreshed); });
}

void CallHandle::onReplyFinished(QNetworkReply *reply, int attemptNumber, bool refreshed)
{
    reply->deleteLater();
    m_reply.clear();
    HttpOutcome outcome;
    outcome.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    outcome.xError = reply->rawHeader("X-Error");
    const QByteArray rest = reply->readAll();
    if (m_spec.onChunk && m_spec.successStatuses.contains(outcome.status)) {
        if (!rest.isEmpty())
            m_spec.onChunk(rest);
    } else {
        outcome.body = rest;
    }

    ApoloError &error = outcome.error;
    if (m_userAborted) {
        error.kind = ApoloError::Kind::Cancelled;
        error.message = tr("Cancelled.");
        return deliver(outcome);
    }
    if (m_redirectRefused) {
        error.kind = ApoloError::Kind::Insecure;
        error.message = tr("The platform redirected the request to %1; not followed, to keep your token safe.")
                            .arg(m_redirectTarget);
        error.hint = tr("Check the API URL, or report the redirect to the platform's operators.");
        return deliver(outcome);
    }
    const bool streamCut = m_streamStarted && reply->error() != QNetworkReply::NoError;
    if (outcome.status == 0 || streamCut) {
        if (reply->error() == QNetworkReply::OperationCanceledError) {
            // The transfer timeout ends a reply with the same code as abort(); ours was not a user abort.
            error.kind = ApoloError::Kind::Timeout;
            error.message =
                tr("The platform did not answer for %1 s.")
                    .arg((m_spec.transferTimeoutMs >= 0 ? m_spec.transferTimeoutMs : m_client->transferTimeout()) /
                         1000);
            error.hint = tr("Check your connection and try again.");
        } else {
            error.kind = ApoloError::Kind::Network;
            error.message = tr("Cannot reach %1: %2").arg(m_spec.url.host(), reply->errorString());
            error.hint = tr("Check your connection, proxy and the API URL, then try again.");
        }
    } else if (!m_spec.successStatuses.contains(outcome.status)) {
        error = ApiJson::parseApiError(outcome.status, outcome.body, outcome.xError);
        if (error.kind == ApoloError::Kind::Unauthorized && m_spec.authenticated && m_spec.refreshOn401) {
            if (!refreshed && m_client->credentials().canRefresh()) {
                m_client->refreshCredentials(this, [this, attemptNumber](const ApoloResult<Credentials> &renewed) {
                    if (renewed.ok())
                        return attempt(attemptNumber, true);
                    ApoloError lost = renewed.error();
                    Q_EMIT m_client->authenticationRequired(lost);
                    deliver(HttpOutcome{lost, 401, {}, {}});
                });
                return;
            }
            Q_EMIT m_client->authenticationRequired(error);
        }
    }

    const QList<int> &delays = m_client->m_retryDelaysMs;
    if (error.isError() && error.isTransient() && m_spec.idempotent && !m_streamStarted &&
        attemptNumber < delays.size()) {
        const int delay = delays.at(attemptNumber);
        qCInfo(lcApolo).noquote() << "retrying" << m_spec.method << m_spec.url.path() << "in" << delay
                                  << "ms:" << error.message;
        Q_EMIT retrying(attemptNumber + 1, delay, error);
        QTimer::singleShot(delay, this, [this, attemptNumber, refreshed] { attempt(attemptNumber + 1, refreshed); });
        return;
    }
    deliver(outcome);
}

void CallHandle::deliver(const HttpOutcome &outcome)
{
    m_waitingTimer.stop();
    if (isAbandoned()) {
        deleteLater();
        return;
    }
    if (!m_done)
        return; // already delivered (an abort raced a pending retry)
    auto done = std::move(m_done);
    m_done = nullptr;
    done(outcome);
}

} // namespace ApoloDeploy
