// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloClient.h"
#include "core/GlobalOptions.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace ApoloDeploy {

class SandboxLauncher;
class Settings;

// What the GUI and every CLI command use to get a ready ApoloClient.
//
// connect() resolves, in this order:
//   API URL: --sandbox (embedded apolo-sandbox) > --api-url > Settings ApiUrl;
//            in the GUI (allowSandboxFallback) the sandbox is also used when no token exists;
//   token:   the sandbox's own random token > env APOLO_DEPLOY_TOKEN > keychain
//            (SecretStore key tokenKey(apiUrl));
// then GET /config with the token and picks cluster/org/project: the ones remembered in Settings
// when still offered, else the SDK rule (§1.3: first cluster, its first org, alphabetically
// first project of that cluster+org). state() follows; ready()/failed() report the outcome.
class PlatformSession final : public QObject
{
    Q_OBJECT

public:
    enum class State { SignedOut, Connecting, Sandbox, Platform, Failed };
    Q_ENUM(State)

    struct Options
    {
        GlobalOptions global;
        // GUI: start the sandbox when no account is configured.
        bool allowSandboxFallback = false;
        // Tests and the CLI may point at another Settings instance.
        Settings *settings = nullptr;
    };

    explicit PlatformSession(Options options, QObject *parent = nullptr);
    ~PlatformSession() override;

    ApoloClient *client() const { return m_client; }
    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Sandbox || m_state == State::Platform; }
    const ApoloError &lastError() const { return m_lastError; }
    QString userName() const { return m_client->credentials().userName(); }
    const ProjectScope &scope() const { return m_client->scope(); }
    // "Sandbox" or "cluster · org · project", for the status bar.
    QString describe() const;
    // The keychain entry holding the token of an API: "apolo-token:<host>[:port]".
    static QString tokenKey(const QUrl &apiUrl);
    // The SDK's default pick (§1.3), optionally keeping a remembered one that is still valid.
    static ProjectScope chooseScope(const ServerConfig &config, const ProjectScope &remembered);

    void connectToPlatform();
    // Sign in with a pasted token: accepted when /config says authorized; stored in the keychain.
    void signInWithToken(const QString &token, std::function<void(const ApoloError &)> done);
    // Uses credentials obtained elsewhere (browser login, apolo CLI import): verify, store, use.
    void signInWithCredentials(const QUrl &apiUrl, const Credentials &credentials, const ProjectScope &preferred,
                               std::function<void(const ApoloError &)> done);
    // Removes the token from the keychain and forgets the server config.
    void signOut(std::function<void(const ApoloError &)> done);
    // Changes the current cluster/org/project (validated against /config, remembered in Settings).
    ApoloError selectScope(const ProjectScope &scope);

Q_SIGNALS:
    void stateChanged(ApoloDeploy::PlatformSession::State state);
    void ready();
    void failed(const ApoloDeploy::ApoloError &error);
    void scopeChanged(const ApoloDeploy::ProjectScope &scope);

private:
    void setState(State state);
    void fail(const ApoloError &error);
    void startSandbox();
    void useToken(const Credentials &credentials, bool sandbox);
    void loadConfig(bool sandbox);
    Settings &settings() const;

    Options m_options;
    ApoloClient *m_client;
    QPointer<SandboxLauncher> m_sandbox;
    State m_state = State::SignedOut;
    ApoloError m_lastError;
};

} // namespace ApoloDeploy
