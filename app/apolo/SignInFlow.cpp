// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/SignInFlow.h"

#include "apolo/ApoloCliImport.h"
#include "apolo/ApoloClient.h"
#include "apolo/BrowserLogin.h"
#include "apolo/PlatformSession.h"
#include "core/Settings.h"

#include <QTimer>

namespace ApoloDeploy {

SignInFlow::SignInFlow(PlatformSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{}

SignInFlow::~SignInFlow() = default;

QUrl SignInFlow::resolveApiUrl(const QUrl &given)
{
    if (given.isValid() && !given.isEmpty())
        return given;
    return QUrl(Settings::instance().value(Settings::Key::ApiUrl).toString(), QUrl::StrictMode);
}

bool SignInFlow::begin()
{
    if (m_running) {
        ApoloError busy;
        busy.kind = ApoloError::Kind::Validation;
        busy.message = tr("A sign-in is already in progress.");
        busy.hint = tr("Finish it in the browser or cancel it first.");
        QTimer::singleShot(0, this, [this, busy] { Q_EMIT finished(busy); });
        return false;
    }
    m_running = true;
    return true;
}

void SignInFlow::end(const ApoloError &error)
{
    if (!m_running)
        return;
    m_running = false;
    if (m_browser)
        m_browser->deleteLater();
    Q_EMIT finished(error);
}

void SignInFlow::withToken(const QUrl &apiUrl, const QString &token)
{
    if (!begin())
        return;
    Credentials credentials;
    credentials.accessToken = token.trimmed();
    m_session->signInWithCredentials(resolveApiUrl(apiUrl), credentials, ProjectScope{},
                                     [guard = QPointer(this)](const ApoloError &error) {
                                         if (guard)
                                             guard->end(error);
                                     });
}

void SignInFlow::withBrowser(const QUrl &given, int timeoutMs)
{
    if (!begin())
        return;
    const QUrl apiUrl = resolveApiUrl(given);
    if (const ApoloError insecure = ApoloClient::checkTransport(apiUrl); insecure.isError()) {
        QTimer::singleShot(0, this, [this, insecure] { end(insecure); });
        return;
    }
    // The OAuth settings (authorize/token URLs, client id, audience) come from the anonymous /config,
    // asked by a probe so the session keeps working (e.g. in the sandbox) until the sign-in succeeds.
    auto *probe = new ApoloClient(this);
    probe->setApiUrl(apiUrl);
    probe->fetchConfigAnonymously(this, [this, probe, apiUrl, timeoutMs](const ApoloResult<ServerConfig> &config) {
        probe->deleteLater();
        ApoloClient *client = m_session->client();
        if (!config)
            return end(config.error());
        if (!config->oauth.isValid()) {
            ApoloError error;
            error.kind = ApoloError::Kind::Validation;
            error.message = tr("%1 does not offer a browser sign-in.").arg(apiUrl.toDisplayString());
            error.hint = tr("Paste a token instead ('apolo config show-token' prints one).");
            return end(error);
        }
        m_browser = new BrowserLogin(client->network(), this);
        m_browser->setTimeout(timeoutMs);
        connect(m_browser, &BrowserLogin::authorizationUrlReady, this, &SignInFlow::authorizationUrlReady);
        connect(m_browser, &BrowserLogin::failed, this, &SignInFlow::end);
        connect(m_browser, &BrowserLogin::succeeded, this,
                [this, apiUrl, oauth = config->oauth](const Credentials &credentials) {
                    m_session->client()->setOAuthSettings(oauth); // for renewing the token at 75 % of its life
                    m_session->signInWithCredentials(apiUrl, credentials, ProjectScope{},
                                                     [guard = QPointer(this)](const ApoloError &error) {
                                                         if (guard)
                                                             guard->end(error);
                                                     });
                });
        m_browser->start(config->oauth);
    });
}

void SignInFlow::fromApoloCli(const QUrl &expectedApiUrl, const QString &configDirectoryOverride)
{
    if (!begin())
        return;
    ApoloResult<ApoloCliLogin> login = ApoloCliImport::import(configDirectoryOverride);
    if (!login) {
        QTimer::singleShot(0, this, [this, error = login.error()] { end(error); });
        return;
    }
    if (expectedApiUrl.isValid() && !expectedApiUrl.isEmpty() && expectedApiUrl != login->apiUrl) {
        QTimer::singleShot(0, this, [this, expectedApiUrl, actual = login->apiUrl] {
            Q_EMIT note(tr("The apolo CLI is signed in to %1, not %2; using %1.")
                            .arg(actual.toDisplayString(), expectedApiUrl.toDisplayString()));
        });
    }
    QTimer::singleShot(0, this, [this, path = login->databasePath] {
        Q_EMIT note(tr("Using the apolo CLI login from %1 (read only).").arg(path));
    });
    m_session->signInWithCredentials(login->apiUrl, login->credentials, login->scope,
                                     [guard = QPointer(this)](const ApoloError &error) {
                                         if (guard)
                                             guard->end(error);
                                     });
}

void SignInFlow::cancel()
{
    if (!m_running)
        return;
    if (m_browser)
        m_browser->cancel(); // reports failed(Cancelled), which ends this flow
    if (!m_running)
        return;
    ApoloError cancelled;
    cancelled.kind = ApoloError::Kind::Cancelled;
    cancelled.message = tr("Sign-in cancelled.");
    end(cancelled);
}

} // namespace ApoloDeploy
