// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/Settings.h"

#include "core/AppInfo.h"
#include "core/CoreLogging.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace ApoloDeploy {

namespace {

struct Directive
{
    const char *name;
    Settings::Scope scope;
    QVariant defaultValue;
};

Directive directive(Settings::Key key)
{
    using K = Settings::Key;
    using S = Settings::Scope;
    switch (key) {
    case K::ApiUrl: return {"platform/apiUrl", S::Roaming, QStringLiteral("https://api.apolo.us/api/v1")};
    case K::CurrentCluster: return {"platform/cluster", S::Roaming, QString()};
    case K::CurrentOrg: return {"platform/org", S::Roaming, QString()};
    case K::CurrentProject: return {"platform/project", S::Roaming, QString()};
    case K::UseSandboxWhenSignedOut: return {"platform/sandboxWhenSignedOut", S::Roaming, true};
    case K::AllowInsecureSecretFallback: return {"security/allowInsecureSecretFallback", S::Roaming, false};
    case K::HuggingFaceEndpoint: return {"planner/huggingFaceEndpoint", S::Roaming, QString()};
    case K::LogViewCap: return {"logs/viewCap", S::Roaming, 100000};
    case K::LogWrap: return {"logs/wrap", S::Roaming, false};
    case K::LogTimestamps: return {"logs/timestamps", S::Roaming, true};
    case K::ChatRenderIntervalMs: return {"chat/renderIntervalMs", S::Roaming, 80};
    case K::CurrencyPerCredit: return {"cost/currencyPerCredit", S::Roaming, QString()};
    case K::CurrencyCode: return {"cost/currencyCode", S::Roaming, QStringLiteral("USD")};
    case K::WindowGeometry: return {"window/geometry", S::Local, QByteArray()};
    case K::WindowState: return {"window/state", S::Local, QByteArray()};
    case K::LastDeploymentName: return {"deploy/lastName", S::Local, QString()};
    case K::LastImportDirectory: return {"flow/lastImportDirectory", S::Local, QString()};
    }
    Q_UNREACHABLE();
}

constexpr auto versionKey = "meta/configVersion";
constexpr int saveDelayMs = 500;

QString configDirectory(QStandardPaths::StandardLocation location)
{
    const QByteArray overrideDir = qgetenv("APOLO_DEPLOY_CONFIG_DIR");
    if (!overrideDir.isEmpty())
        return QString::fromLocal8Bit(overrideDir);
    return QStandardPaths::writableLocation(location) + QLatin1Char('/') + QLatin1String(AppInfo::applicationName);
}

} // namespace

Settings::Settings(const QString &roamingPath, const QString &localPath)
    : m_roaming(std::make_unique<QSettings>(roamingPath, QSettings::IniFormat))
    , m_local(std::make_unique<QSettings>(localPath, QSettings::IniFormat))
{
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(saveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &Settings::sync);
    migrate();
    if (QCoreApplication::instance())
        connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, this, &Settings::sync);
}

Settings::~Settings()
{
    sync();
}

Settings &Settings::instance()
{
    static Settings settings(roamingDirectory() + QStringLiteral("/settings.ini"),
                             localDirectory() + QStringLiteral("/state.ini"));
    return settings;
}

std::unique_ptr<Settings> Settings::createForDirectory(const QString &dir)
{
    return std::unique_ptr<Settings>(
        new Settings(dir + QStringLiteral("/settings.ini"), dir + QStringLiteral("/state.ini")));
}

QString Settings::roamingDirectory()
{
    return configDirectory(QStandardPaths::GenericConfigLocation);
}

QString Settings::localDirectory()
{
    // QStandardPaths::StateLocation is Qt 6.7+. The generic data folder is used rather than
    // AppLocalDataLocation because the latter depends on the organisation name being set first.
    return configDirectory(QStandardPaths::GenericDataLocation);
}

QString Settings::keyName(Key key)
{
    return QString::fromLatin1(directive(key).name);
}

Settings::Scope Settings::scope(Key key)
{
    return directive(key).scope;
}

QVariant Settings::defaultValue(Key key)
{
    return directive(key).defaultValue;
}

QSettings &Settings::storeFor(Key key) const
{
    return scope(key) == Scope::Roaming ? *m_roaming : *m_local;
}

QVariant Settings::value(Key key) const
{
    const Directive d = directive(key);
    return storeFor(key).value(QLatin1String(d.name), d.defaultValue);
}

void Settings::setValue(Key key, const QVariant &value)
{
    if (this->value(key) == value)
        return;
    storeFor(key).setValue(keyName(key), value);
    m_saveTimer.start();
    Q_EMIT changed(key);
}

void Settings::remove(Key key)
{
    storeFor(key).remove(keyName(key));
    m_saveTimer.start();
    Q_EMIT changed(key);
}

bool Settings::sync()
{
    m_saveTimer.stop();
    bool ok = true;
    for (QSettings *store : {m_roaming.get(), m_local.get()}) {
        store->sync();
        if (store->status() != QSettings::NoError) {
            ok = false;
            m_lastError = tr("Could not save settings to %1 (%2). Check that the folder exists and is writable.")
                              .arg(store->fileName(), store->status() == QSettings::AccessError ? tr("access denied")
                                                                                                : tr("format error"));
            qCWarning(lcSettings).noquote() << m_lastError;
            Q_EMIT writeFailed(m_lastError);
        }
    }
    return ok;
}

QString Settings::roamingFilePath() const
{
    return m_roaming->fileName();
}

QString Settings::localFilePath() const
{
    return m_local->fileName();
}

void Settings::migrate()
{
    const int version = m_roaming->value(QLatin1String(versionKey), 0).toInt();
    if (version > currentVersion) {
        qCWarning(lcSettings) << "settings file is from a newer version" << version << "; reading what is known";
        return;
    }
    if (version == currentVersion)
        return;
    // Version 0 -> 1: nothing to rename yet. Future renames go here as
    // (oldName -> Key) pairs so old configurations keep working.
    m_roaming->setValue(QLatin1String(versionKey), currentVersion);
    m_saveTimer.start();
}

} // namespace ApoloDeploy
