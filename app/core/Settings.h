// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QTimer>
#include <QVariant>

#include <memory>

class QSettings;

namespace ApoloDeploy {

// Typed, versioned application settings (KeePassXC's Config pattern).
//
// Preferences ("roaming") and volatile state such as window geometry ("local") live in two
// separate INI files so that geometry churn can never corrupt preferences. Writes are coalesced
// on a short timer and their QSettings::status() is checked. Secrets never go here: they belong
// to SecretStore (the OS keychain); a test asserts it.
//
// Paths: $APOLO_DEPLOY_CONFIG_DIR if set (tests, portable use), else ~/.config/apolo-deploy
// (preferences) and ~/.local/share/apolo-deploy (state).
class Settings final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Settings)

public:
    enum class Key {
        // Roaming preferences
        ApiUrl,
        CurrentCluster,
        CurrentOrg,
        CurrentProject,
        UseSandboxWhenSignedOut,
        AllowInsecureSecretFallback,
        HuggingFaceEndpoint,
        LogViewCap,
        LogWrap,
        LogTimestamps,
        ChatRenderIntervalMs,
        CurrencyPerCredit,
        CurrencyCode,
        // Local state
        WindowGeometry,
        WindowState,
        LastDeploymentName,
        LastImportDirectory,
    };
    Q_ENUM(Key)

    enum class Scope { Roaming, Local };

    static Settings &instance();
    // A fresh instance rooted in dir; for tests (the global instance is not affected).
    static std::unique_ptr<Settings> createForDirectory(const QString &dir);

    ~Settings() override;

    QVariant value(Key key) const;
    void setValue(Key key, const QVariant &value);
    void remove(Key key);

    static QString keyName(Key key);
    static Scope scope(Key key);
    static QVariant defaultValue(Key key);

    // Flushes pending writes now; returns false (and logs why) when a file could not be written.
    bool sync();
    QString roamingFilePath() const;
    QString localFilePath() const;
    // Folders for preferences and for machine-local state (window layout, the single-instance
    // lock, the opt-in insecure secret file). Both are $APOLO_DEPLOY_CONFIG_DIR when it is set.
    static QString roamingDirectory();
    static QString localDirectory();
    QString lastError() const { return m_lastError; }

    static constexpr int currentVersion = 1;

Q_SIGNALS:
    void changed(ApoloDeploy::Settings::Key key);
    void writeFailed(const QString &message);

private:
    explicit Settings(const QString &roamingPath, const QString &localPath);
    QSettings &storeFor(Key key) const;
    void migrate();

    std::unique_ptr<QSettings> m_roaming;
    std::unique_ptr<QSettings> m_local;
    QTimer m_saveTimer;
    QString m_lastError;
};

} // namespace ApoloDeploy
