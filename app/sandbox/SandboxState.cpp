// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/SandboxState.h"

#include "sandbox/SandboxLogging.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QUrl>

namespace ApoloDeploy::Sandbox {

namespace {

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(QRandomGenerator::system()->bounded(256));
    return bytes;
}

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QJsonValue optionalNumber(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

} // namespace

SandboxState::SandboxState(const SandboxConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_clock(config.speed)
{
    QString error;
    if (!m_faults.setSpec(config.faults, &error))
        qCWarning(lcSandbox) << error;
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(50);
    connect(&m_saveTimer, &QTimer::timeout, this, &SandboxState::saveNow);
    if (m_config.statePath.isEmpty()) {
        m_logDirectory = m_temporaryLogs.path();
    } else {
        m_logDirectory = m_config.statePath + QStringLiteral(".logs");
        QDir().mkpath(m_logDirectory);
        load();
    }
    // The guide's jobs read HF_TOKEN from a platform secret; the sandbox downloads nothing, so each
    // project starts with a placeholder value that a test or the user may replace or delete.
    for (const QString &project : m_config.projectNames) {
        auto &scoped = secrets[secretScope(m_config.orgName, project)];
        if (!scoped.contains(QStringLiteral("HF_TOKEN")))
            scoped.insert(QStringLiteral("HF_TOKEN"), QByteArrayLiteral("sandbox placeholder").toBase64());
    }
}

SandboxState::~SandboxState()
{
    if (m_saveTimer.isActive())
        saveNow();
}

std::optional<QByteArray> SandboxState::resolveSecret(const QString &uri) const
{
    const QUrl url(uri);
    const QStringList parts = url.path().split(u'/', Qt::SkipEmptyParts);
    if (url.scheme() != QLatin1String("secret") || parts.size() < 3)
        return std::nullopt;
    const auto scope = secrets.constFind(secretScope(parts.at(0), parts.at(1)));
    if (scope == secrets.cend())
        return std::nullopt;
    const auto value = scope->constFind(parts.mid(2).join(u'/'));
    if (value == scope->cend())
        return std::nullopt;
    return QByteArray::fromBase64(*value);
}

bool SandboxState::isValidToken(const QByteArray &token) const
{
    if (token.isEmpty())
        return false;
    if (token == m_config.token)
        return true;
    const auto it = m_accessTokens.constFind(token);
    return it != m_accessTokens.cend() && QDateTime::currentMSecsSinceEpoch() < *it;
}

int SandboxState::tokenExpirySeconds() const
{
    const int faulty = m_faults.settings().tokenExpirySeconds;
    return faulty > 0 ? faulty : m_defaultTokenExpiry;
}

QByteArray SandboxState::makeJwt(qint64 expiresAtSeconds) const
{
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")}};
    const QJsonObject claims{{QStringLiteral("https://platform.neuromation.io/user"), m_config.userName},
                             {QStringLiteral("identity"), m_config.userName},
                             {QStringLiteral("exp"), expiresAtSeconds},
                             {QStringLiteral("jti"), QString::fromLatin1(base64Url(randomBytes(12)))}};
    return base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
           base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.' + base64Url(randomBytes(32));
}

QByteArray SandboxState::issueAccessToken(int expiresInSeconds)
{
    const qint64 expiresAtMs = QDateTime::currentMSecsSinceEpoch() + qint64(expiresInSeconds) * 1000;
    const QByteArray token = makeJwt(expiresAtMs / 1000);
    m_accessTokens.insert(token, expiresAtMs);
    return token;
}

QByteArray SandboxState::issueRefreshToken()
{
    const QByteArray token = base64Url(randomBytes(32));
    m_refreshTokens.insert(token, true);
    markDirty();
    return token;
}

void SandboxState::markDirty()
{
    if (!m_config.statePath.isEmpty() && !m_saveTimer.isActive())
        m_saveTimer.start();
}

void SandboxState::saveNow()
{
    m_saveTimer.stop();
    if (m_config.statePath.isEmpty())
        return;
    QJsonObject secretsJson;
    for (auto scope = secrets.cbegin(); scope != secrets.cend(); ++scope) {
        QJsonObject values;
        for (auto it = scope->cbegin(); it != scope->cend(); ++it)
            values.insert(it.key(), QString::fromLatin1(it.value()));
        secretsJson.insert(scope.key(), values);
    }
    QJsonArray refreshTokens;
    for (auto it = m_refreshTokens.cbegin(); it != m_refreshTokens.cend(); ++it)
        refreshTokens.append(QString::fromLatin1(it.key()));
    const QJsonObject root{{QStringLiteral("version"), 1},
                           {QStringLiteral("user_credits"), optionalNumber(userCredits)},
                           {QStringLiteral("user_spent"), userSpent},
                           {QStringLiteral("org_credits"), optionalNumber(orgCredits)},
                           {QStringLiteral("org_spent"), orgSpent},
                           {QStringLiteral("max_running_jobs"),
                            maxRunningJobs ? QJsonValue(*maxRunningJobs) : QJsonValue(QJsonValue::Null)},
                           {QStringLiteral("secrets"), secretsJson},
                           {QStringLiteral("refresh_tokens"), refreshTokens},
                           {QStringLiteral("jobs"), m_jobsProvider ? m_jobsProvider() : QJsonArray()}};
    QSaveFile file(m_config.statePath);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson(QJsonDocument::Compact)) < 0 ||
        !file.commit())
        qCWarning(lcSandbox) << "cannot save state to" << m_config.statePath << file.errorString();
}

void SandboxState::load()
{
    QFile file(m_config.statePath);
    if (!file.exists())
        return;
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcSandbox) << "cannot read state" << m_config.statePath << file.errorString();
        return;
    }
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    auto optional = [&root](const char *key) -> std::optional<double> {
        const QJsonValue value = root.value(QLatin1String(key));
        return value.isDouble() ? std::optional<double>(value.toDouble()) : std::nullopt;
    };
    userCredits = optional("user_credits");
    userSpent = root.value(QLatin1String("user_spent")).toDouble();
    orgCredits = optional("org_credits");
    orgSpent = root.value(QLatin1String("org_spent")).toDouble();
    if (root.value(QLatin1String("max_running_jobs")).isDouble())
        maxRunningJobs = root.value(QLatin1String("max_running_jobs")).toInt();
    const QJsonObject secretsJson = root.value(QLatin1String("secrets")).toObject();
    for (auto scope = secretsJson.begin(); scope != secretsJson.end(); ++scope) {
        const QJsonObject values = scope.value().toObject();
        for (auto it = values.begin(); it != values.end(); ++it)
            secrets[scope.key()].insert(it.key(), it.value().toString().toLatin1());
    }
    for (const QJsonValue &token : root.value(QLatin1String("refresh_tokens")).toArray())
        m_refreshTokens.insert(token.toString().toLatin1(), true);
    m_loadedJobs = root.value(QLatin1String("jobs")).toArray();
}

} // namespace ApoloDeploy::Sandbox
