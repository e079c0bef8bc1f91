// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/FaultInjector.h"
#include "sandbox/Presets.h"
#include "sandbox/SandboxConfig.h"
#include "sandbox/SimClock.h"

#include <QHash>
#include <QJsonArray>
#include <QMap>
#include <QObject>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>
#include <optional>

namespace ApoloDeploy::Sandbox {

// Shared state of one sandbox: configuration, clock, faults, credits and quota, secrets,
// issued tokens, and persistence of all of it (plus the jobs) with --state.
class SandboxState final : public QObject
{
    Q_OBJECT

public:
    explicit SandboxState(const SandboxConfig &config, QObject *parent = nullptr);
    ~SandboxState() override;

    const SandboxConfig &config() const { return m_config; }
    SimClock &clock() { return m_clock; }
    const SimClock &clock() const { return m_clock; }
    FaultInjector &faults() { return m_faults; }
    const PresetCatalog &presets() const { return m_presets; }

    // Credits and quota (null = unlimited), as the admin service reports them.
    std::optional<double> userCredits;
    double userSpent = 0;
    std::optional<double> orgCredits;
    double orgSpent = 0;
    std::optional<int> maxRunningJobs;

    // Secrets by "org/project", key -> base64 value exactly as posted.
    QMap<QString, QMap<QString, QByteArray>> secrets;
    static QString secretScope(const QString &org, const QString &project) { return org + u'/' + project; }
    // The decoded value for a secret://cluster/org/project/KEY URI, nullopt when missing.
    std::optional<QByteArray> resolveSecret(const QString &uri) const;

    // Tokens: the configured one never expires; OAuth-issued ones do (real seconds).
    bool isValidToken(const QByteArray &token) const;
    QByteArray issueAccessToken(int expiresInSeconds);
    QByteArray issueRefreshToken();
    bool isValidRefreshToken(const QByteArray &token) const { return m_refreshTokens.contains(token); }
    int tokenExpirySeconds() const;
    void setDefaultTokenExpirySeconds(int seconds) { m_defaultTokenExpiry = seconds; }

    // Persistence. The registry provides its jobs; saving is debounced and atomic (QSaveFile).
    void setJobsProvider(std::function<QJsonArray()> provider) { m_jobsProvider = std::move(provider); }
    QJsonArray loadedJobs() const { return m_loadedJobs; }
    void markDirty();
    void saveNow();
    // Where job logs live: next to the state file with --state, else a temporary folder.
    QString logDirectory() const { return m_logDirectory; }

private:
    void load();
    QByteArray makeJwt(qint64 expiresAtSeconds) const;

    SandboxConfig m_config;
    SimClock m_clock;
    FaultInjector m_faults;
    PresetCatalog m_presets;
    QHash<QByteArray, qint64> m_accessTokens; // token -> expiry (ms since epoch, real time)
    QHash<QByteArray, bool> m_refreshTokens;
    int m_defaultTokenExpiry = 3600;
    std::function<QJsonArray()> m_jobsProvider;
    QJsonArray m_loadedJobs;
    QTimer m_saveTimer;
    QTemporaryDir m_temporaryLogs;
    QString m_logDirectory;
};

} // namespace ApoloDeploy::Sandbox
