// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/PlatformSession.h"

#include "apolo/ApoloLogging.h"
#include "apolo/SandboxLauncher.h"
#include "core/SecretStore.h"
#include "core/Settings.h"

#include <algorithm>

namespace ApoloDeploy {

namespace {

ApoloError signedOutError()
{
    ApoloError error;
    error.kind = ApoloError::Kind::Unauthorized;
    error.message = PlatformSession::tr("You are not signed in to Apolo.");
    error.hint = PlatformSession::tr("Sign in with 'apolo-deploy login' (or the Sign in button), set "
                                     "APOLO_DEPLOY_TOKEN for scripts, or try the embedded sandbox with --sandbox.");
    return error;
}

} // namespace

PlatformSession::PlatformSession(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_client(new ApoloClient(this))
{
    // A renewed token replaces the stored one (only for tokens that came from the keychain).
    connect(m_client, &ApoloClient::credentialsChanged, this, [this](const Credentials &credentials) {
        if (m_state == State::Sandbox || !qEnvironmentVariableIsEmpty("APOLO_DEPLOY_TOKEN"))
            return;
        SecretStore::instance().write(
            tokenKey(m_client->apiUrl()), credentials.toSecret(), this, [](const SecretResult &result) {
                if (!result.ok)
                    qCWarning(lcApolo).noquote() << "could not store the renewed token:" << result.error;
            });
    });
    connect(m_client, &ApoloClient::authenticationRequired, this, [this](const ApoloError &error) {
        m_lastError = error;
        if (m_state == State::Platform)
            setState(State::SignedOut);
    });
}

PlatformSession::~PlatformSession() = default;

Settings &PlatformSession::settings() const
{
    return m_options.settings ? *m_options.settings : Settings::instance();
}

QString PlatformSession::describe() const
{
    const ProjectScope &s = scope();
    const QString where = QStringList{s.cluster, s.org, s.project}.join(QStringLiteral(" · "));
    switch (m_state) {
    case State::Sandbox: return tr("Sandbox (%1)").arg(where);
    case State::Platform: return where;
    case State::Connecting: return tr("Connecting…");
    case State::Failed: return tr("Not connected");
    case State::SignedOut: break;
    }
    return tr("Signed out");
}

QString PlatformSession::tokenKey(const QUrl &apiUrl)
{
    QString key = QStringLiteral("apolo-token:") + apiUrl.host().toLower();
    if (apiUrl.port() > 0)
        key += u':' + QString::number(apiUrl.port());
    return key;
}

ProjectScope PlatformSession::chooseScope(const ServerConfig &config, const ProjectScope &remembered)
{
    ProjectScope scope;
    if (config.clusters.isEmpty())
        return scope;
    const Cluster *cluster = config.cluster(remembered.cluster);
    if (!cluster)
        cluster = &config.clusters.first();
    scope.cluster = cluster->name;
    if (cluster->orgs.contains(remembered.org))
        scope.org = remembered.org;
    else
        scope.org = cluster->orgs.isEmpty() ? QStringLiteral("default-org") : cluster->orgs.first(); // SDK rule
    QStringList projects;
    for (const Project &project : config.projects) {
        if (project.clusterName == scope.cluster && project.orgName == scope.org)
            projects << project.name;
    }
    std::sort(projects.begin(), projects.end());
    if (projects.contains(remembered.project))
        scope.project = remembered.project;
    else if (!projects.isEmpty())
        scope.project = projects.first();
    return scope;
}

void PlatformSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void PlatformSession::fail(const ApoloError &error)
{
    m_lastError = error;
    setState(error.kind == ApoloError::Kind::Unauthorized ? State::SignedOut : State::Failed);
    Q_EMIT failed(error);
}

void PlatformSession::connectToPlatform()
{
    m_lastError = ApoloError();
    setState(State::Connecting);
    if (m_options.global.sandbox)
        return startSandbox();

    QUrl apiUrl = m_options.global.apiUrl;
    if (apiUrl.isEmpty())
        apiUrl = QUrl(settings().value(Settings::Key::ApiUrl).toString(), QUrl::StrictMode);
    if (const ApoloError insecure = ApoloClient::checkTransport(apiUrl); insecure.isError())
        return QTimer::singleShot(0, this, [this, insecure] { fail(insecure); });
    m_client->setApiUrl(apiUrl);

    const QString environmentToken = qEnvironmentVariable("APOLO_DEPLOY_TOKEN").trimmed();
    if (!environmentToken.isEmpty()) {
        Credentials credentials;
        credentials.accessToken = environmentToken;
        return QTimer::singleShot(0, this, [this, credentials] { useToken(credentials, false); });
    }
    SecretStore::instance().read(tokenKey(apiUrl), this, [this](const SecretResult &result) {
        if (result.ok && !result.value.isEmpty())
            return useToken(Credentials::fromSecret(result.value), false);
        if (result.notFound || result.ok) {
            if (m_options.allowSandboxFallback && settings().value(Settings::Key::UseSandboxWhenSignedOut).toBool())
                return startSandbox();
            return fail(signedOutError());
        }
        ApoloError error;
        error.kind = ApoloError::Kind::Unauthorized;
        error.message = tr("Cannot read the Apolo token from the keychain: %1").arg(result.error);
        error.hint = tr("Unlock the keychain, or set APOLO_DEPLOY_TOKEN for this session.");
        fail(error);
    });
}

void PlatformSession::startSandbox()
{
    setState(State::Connecting);
    if (!m_sandbox) {
        m_sandbox = new SandboxLauncher(this);
        connect(m_sandbox, &SandboxLauncher::ready, this, [this](const QUrl &apiUrl) {
            m_client->setApiUrl(apiUrl);
            Credentials credentials;
            credentials.accessToken = m_sandbox->token();
            useToken(credentials, true);
        });
        connect(m_sandbox, &SandboxLauncher::failed, this, [this](const QString &message) {
            ApoloError error;
            error.kind = ApoloError::Kind::Network;
            error.message = message;
            error.hint = tr("Start without --sandbox to use your Apolo account.");
            fail(error);
        });
        connect(m_sandbox, &SandboxLauncher::stopped, this, [this](const QString &message) {
            ApoloError error;
            error.kind = ApoloError::Kind::Network;
            error.message = message;
            error.hint = tr("Restart the app to start a new sandbox.");
            fail(error);
        });
    }
    // The sandbox keeps its jobs in a state file so that `up`, `status` and `down` run as separate
    // commands (each with its own sandbox process) see the same deployment, as on the platform.
    SandboxLauncher::Options options;
    options.stateFile = Settings::localDirectory() + QStringLiteral("/sandbox-state.json");
    m_sandbox->start(options);
}

void PlatformSession::useToken(const Credentials &credentials, bool sandbox)
{
    m_client->setCredentials(credentials);
    loadConfig(sandbox);
}

void PlatformSession::loadConfig(bool sandbox)
{
    m_client->fetchConfig(this, [this, sandbox](const ApoloResult<ServerConfig> &config) {
        if (!config)
            return fail(config.error());
        m_client->setServerConfig(config.value());
        ProjectScope remembered;
        if (!sandbox) {
            remembered = ProjectScope{settings().value(Settings::Key::CurrentCluster).toString(),
                                      settings().value(Settings::Key::CurrentOrg).toString(),
                                      settings().value(Settings::Key::CurrentProject).toString()};
        }
        m_client->setScope(chooseScope(config.value(), remembered));
        setState(sandbox ? State::Sandbox : State::Platform);
        Q_EMIT scopeChanged(m_client->scope());
        Q_EMIT ready();
    });
}

void PlatformSession::signInWithToken(const QString &token, std::function<void(const ApoloError &)> done)
{
    Credentials credentials;
    credentials.accessToken = token.trimmed();
    QUrl apiUrl = m_options.global.apiUrl;
    if (apiUrl.isEmpty())
        apiUrl = QUrl(settings().value(Settings::Key::ApiUrl).toString(), QUrl::StrictMode);
    signInWithCredentials(apiUrl, credentials, ProjectScope{}, std::move(done));
}

void PlatformSession::signInWithCredentials(const QUrl &apiUrl, const Credentials &credentials,
                                            const ProjectScope &preferred, std::function<void(const ApoloError &)> done)
{
    if (const ApoloError insecure = ApoloClient::checkTransport(apiUrl); insecure.isError()) {
        QTimer::singleShot(0, this, [done, insecure] { done(insecure); });
        return;
    }
    if (credentials.accessToken.isEmpty()) {
        ApoloError error;
        error.kind = ApoloError::Kind::Validation;
        error.message = tr("The token is empty.");
        error.hint = tr("Paste the token from the Apolo console or 'apolo config show-token'.");
        QTimer::singleShot(0, this, [done, error] { done(error); });
        return;
    }
    const bool fromSandbox = m_state == State::Sandbox;
    setState(State::Connecting);
    m_client->setApiUrl(apiUrl);
    m_client->setCredentials(credentials);
    m_client->fetchConfig(this, [this, apiUrl, credentials, preferred, done,
                                 fromSandbox](const ApoloResult<ServerConfig> &config) {
        if (!config) {
            if (fromSandbox && m_sandbox && m_sandbox->isReady()) {
                // A refused sign-in leaves the user where they were: in the running sandbox.
                m_client->setApiUrl(m_sandbox->apiUrl());
                Credentials sandboxCredentials;
                sandboxCredentials.accessToken = m_sandbox->token();
                useToken(sandboxCredentials, true);
                return done(config.error());
            }
            m_client->setCredentials(Credentials());
            fail(config.error());
            return done(config.error());
        }
        // Accepted: remember it, then use it.
        SecretStore::instance().write(
            tokenKey(apiUrl), credentials.toSecret(), this,
            [this, apiUrl, config = config.value(), preferred, done](const SecretResult &stored) {
                if (!stored.ok) {
                    ApoloError error;
                    error.kind = ApoloError::Kind::Validation;
                    error.message = tr("The token works but could not be saved in the keychain: %1").arg(stored.error);
                    error.hint =
                        tr("Unlock or install a keychain (gnome-keyring, KWallet), or use APOLO_DEPLOY_TOKEN.");
                    fail(error);
                    return done(error);
                }
                // Later runs without --api-url use the API signed in to.
                settings().setValue(Settings::Key::ApiUrl, apiUrl.toString());
                if (m_sandbox)
                    m_sandbox->stop(); // signed in for real: the embedded sandbox has done its job
                m_client->setServerConfig(config);
                const ProjectScope scope = chooseScope(config, preferred);
                m_client->setScope(scope);
                settings().setValue(Settings::Key::CurrentCluster, scope.cluster);
                settings().setValue(Settings::Key::CurrentOrg, scope.org);
                settings().setValue(Settings::Key::CurrentProject, scope.project);
                setState(State::Platform);
                Q_EMIT scopeChanged(scope);
                Q_EMIT ready();
                done(ApoloError());
            });
    });
}

void PlatformSession::signOut(std::function<void(const ApoloError &)> done)
{
    const QUrl apiUrl = m_client->apiUrl().isValid()
                            ? m_client->apiUrl()
                            : QUrl(settings().value(Settings::Key::ApiUrl).toString(), QUrl::StrictMode);
    SecretStore::instance().remove(tokenKey(apiUrl), this, [this, done](const SecretResult &result) {
        m_client->setCredentials(Credentials());
        m_client->setServerConfig(ServerConfig());
        m_client->setScope(ProjectScope());
        setState(State::SignedOut);
        if (!result.ok && !result.notFound) {
            ApoloError error;
            error.kind = ApoloError::Kind::Validation;
            error.message = tr("Could not remove the token from the keychain: %1").arg(result.error);
            error.hint = tr("Remove the 'apolo-deploy' entry with your keychain manager.");
            return done(error);
        }
        done(ApoloError());
    });
}

ApoloError PlatformSession::selectScope(const ProjectScope &wanted)
{
    ApoloError error;
    error.kind = ApoloError::Kind::Validation;
    const ServerConfig &config = m_client->serverConfig();
    const Cluster *cluster = config.cluster(wanted.cluster);
    if (!cluster) {
        error.message = tr("There is no cluster '%1' in your account.").arg(wanted.cluster);
        return error;
    }
    if (!cluster->orgs.contains(wanted.org)) {
        error.message = tr("The org '%1' cannot use cluster '%2'.").arg(wanted.org, wanted.cluster);
        return error;
    }
    const bool projectKnown = std::any_of(config.projects.begin(), config.projects.end(), [&](const Project &p) {
        return p.name == wanted.project && p.clusterName == wanted.cluster && p.orgName == wanted.org;
    });
    if (!projectKnown) {
        error.message = tr("There is no project '%1' in %2 / %3.").arg(wanted.project, wanted.cluster, wanted.org);
        error.hint = tr("Create it in the Apolo console or pick one of your projects.");
        return error;
    }
    m_client->setScope(wanted);
    if (m_state == State::Platform) {
        settings().setValue(Settings::Key::CurrentCluster, wanted.cluster);
        settings().setValue(Settings::Key::CurrentOrg, wanted.org);
        settings().setValue(Settings::Key::CurrentProject, wanted.project);
    }
    Q_EMIT scopeChanged(wanted);
    return ApoloError();
}

} // namespace ApoloDeploy
