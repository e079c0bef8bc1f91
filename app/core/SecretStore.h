// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>

class QTimer;
namespace QKeychain {
class Job;
}

namespace ApoloDeploy {

struct SecretResult
{
    bool ok = false;       // the operation succeeded (read: value holds the secret; remove: it is gone)
    bool notFound = false; // read: there is no secret under this key (ok is false)
    QByteArray value;      // read only
    QString error;         // user-facing: says what failed and what to install or do
};

// The only place secrets (tokens, API keys) are kept: the OS keychain through QtKeychain,
// service "apolo-deploy".
//
// Everything is asynchronous and nothing blocks the GUI thread. Jobs run one at a time (QtKeychain
// serialises them anyway) with a per-job timeout, so a keychain that never answers (a locked
// KWallet, a Flatpak portal) fails the request with a clear message instead of hanging the
// app. A timed-out QtKeychain job is never deleted while in flight (that crashes when the
// backend calls back); it is parked until it finishes.
//
// When no Secret Service is reachable (headless, no D-Bus session, locked collection) the
// request fails and backendUnavailable() is emitted. Only if the user explicitly opted in
// (Settings::Key::AllowInsecureSecretFallback) are secrets then kept in a separate, clearly
// named, owner-only (0600) file in the local data folder - never in settings.ini.
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    static SecretStore &instance();
    ~SecretStore() override;

    using Callback = std::function<void(const SecretResult &)>;

    // done is always called later from the event loop (never synchronously), and not at all if
    // context was destroyed in the meantime. A null context means "no owner": done always runs.
    void read(const QString &key, QObject *context, Callback done);
    void write(const QString &key, const QByteArray &value, QObject *context, Callback done);
    // Removes the secret from the keychain and from the fallback file, if it is there. Idempotent:
    // removing a key that holds nothing succeeds (libsecret cannot tell the two apart).
    void remove(const QString &key, QObject *context, Callback done);

    // The explicit opt-in plaintext fallback; off by default, stored in Settings.
    bool insecureFallbackEnabled() const;
    void setInsecureFallbackEnabled(bool enabled);
    // Where the fallback file lives (it exists only after a fallback write).
    static QString insecureFallbackFilePath();

    static QString serviceName();
    std::chrono::milliseconds jobTimeout() const { return m_jobTimeout; }
    void setJobTimeout(std::chrono::milliseconds timeout) { m_jobTimeout = timeout; }
    // Jobs queued or running, including the one in flight; for tests and diagnostics.
    int pendingCount() const;

Q_SIGNALS:
    // The keychain could not be used; message says what to install or do.
    void backendUnavailable(const QString &message);

private:
    enum class Operation { Read, Write, Remove };
    struct Request
    {
        Operation operation;
        QString key;
        QByteArray value;
        QPointer<QObject> context;
        bool hasContext = false;
        Callback done;
    };

    SecretStore();
    void enqueue(Request request);
    void scheduleNext();
    void startNext();
    void onJobFinished(QKeychain::Job *job);
    void onJobTimedOut();
    void complete(const Request &request, const SecretResult &result);
    SecretResult resultFromFallback(const Request &request, const QString &keychainError);

    std::deque<Request> m_queue;
    std::unique_ptr<Request> m_active;
    QKeychain::Job *m_activeJob = nullptr; // owned by QtKeychain (auto-delete after finished)
    QTimer *m_timeoutTimer = nullptr;
    bool m_startScheduled = false;
    std::chrono::milliseconds m_jobTimeout{10000};
};

} // namespace ApoloDeploy
