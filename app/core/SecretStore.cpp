// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/SecretStore.h"

#include "core/AppInfo.h"
#include "core/CoreLogging.h"
#include "core/InsecureSecretFile.h"
#include "core/Settings.h"

#include <QTimer>
#include <qt6keychain/keychain.h>

namespace ApoloDeploy {

namespace {

// Errors that mean "no usable Secret Service here" (qt-anchors §4): no D-Bus session
// (OtherError), no backend library, or gnome-keyring running with a locked collection and no
// prompter (AccessDenied). Only these may fall back to the opt-in file.
bool isBackendUnavailable(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::OtherError || error == QKeychain::AccessDenied;
}

} // namespace

SecretStore::SecretStore()
    : m_timeoutTimer(new QTimer(this))
{
    m_timeoutTimer->setSingleShot(true);
    connect(m_timeoutTimer, &QTimer::timeout, this, &SecretStore::onJobTimedOut);
}

// In-flight QtKeychain jobs have no parent on purpose: they must outlive us rather than be
// deleted while the backend may still call back.
SecretStore::~SecretStore() = default;

SecretStore &SecretStore::instance()
{
    static SecretStore store;
    return store;
}

QString SecretStore::serviceName()
{
    return QLatin1String(AppInfo::applicationName);
}

QString SecretStore::insecureFallbackFilePath()
{
    return InsecureSecretFile::defaultFilePath();
}

bool SecretStore::insecureFallbackEnabled() const
{
    return Settings::instance().value(Settings::Key::AllowInsecureSecretFallback).toBool();
}

void SecretStore::setInsecureFallbackEnabled(bool enabled)
{
    Settings::instance().setValue(Settings::Key::AllowInsecureSecretFallback, enabled);
}

int SecretStore::pendingCount() const
{
    return int(m_queue.size()) + (m_active ? 1 : 0);
}

void SecretStore::read(const QString &key, QObject *context, Callback done)
{
    enqueue({Operation::Read, key, {}, context, context != nullptr, std::move(done)});
}

void SecretStore::write(const QString &key, const QByteArray &value, QObject *context, Callback done)
{
    enqueue({Operation::Write, key, value, context, context != nullptr, std::move(done)});
}

void SecretStore::remove(const QString &key, QObject *context, Callback done)
{
    enqueue({Operation::Remove, key, {}, context, context != nullptr, std::move(done)});
}

void SecretStore::enqueue(Request request)
{
    m_queue.push_back(std::move(request));
    scheduleNext();
}

// The next job always starts from a zero-delay timer: starting it from inside a QtKeychain
// finished() handler re-enters the backend while it is still unwinding.
void SecretStore::scheduleNext()
{
    if (m_active || m_startScheduled || m_queue.empty())
        return;
    m_startScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_startScheduled = false;
        startNext();
    });
}

void SecretStore::startNext()
{
    while (!m_active && !m_queue.empty()) {
        Request request = std::move(m_queue.front());
        m_queue.pop_front();
        if (request.hasContext && !request.context)
            continue; // nobody is waiting for this answer any more
        m_active = std::make_unique<Request>(std::move(request));
    }
    if (!m_active)
        return;

    QKeychain::Job *job = nullptr;
    switch (m_active->operation) {
    case Operation::Read: job = new QKeychain::ReadPasswordJob(serviceName()); break;
    case Operation::Write: {
        auto *writeJob = new QKeychain::WritePasswordJob(serviceName());
        writeJob->setBinaryData(m_active->value);
        job = writeJob;
        break;
    }
    case Operation::Remove: job = new QKeychain::DeletePasswordJob(serviceName()); break;
    }
    job->setKey(m_active->key);
    job->setAutoDelete(true);
    // QtKeychain's own fallback writes plaintext into a QSettings file and does not even work
    // headless; ours is explicit and lives elsewhere.
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, &SecretStore::onJobFinished);
    m_activeJob = job;
    m_timeoutTimer->start(m_jobTimeout);
    job->start();
}

void SecretStore::onJobFinished(QKeychain::Job *job)
{
    if (job != m_activeJob) {
        // A job that timed out earlier has come back; its caller was already told.
        qCInfo(lcSecrets) << "a timed-out keychain job finished late:" << job->errorString();
        return;
    }
    m_timeoutTimer->stop();
    m_activeJob = nullptr;
    const std::unique_ptr<Request> request = std::move(m_active);

    SecretResult result;
    const QKeychain::Error error = job->error();
    if (error == QKeychain::NoError) {
        result.ok = true;
        if (request->operation == Operation::Read)
            result.value = static_cast<QKeychain::ReadPasswordJob *>(job)->binaryData();
    } else if (error == QKeychain::EntryNotFound) {
        if (request->operation == Operation::Remove) {
            result.ok = true; // already gone is what the caller wanted
        } else {
            result.notFound = true;
            result.error = tr("No secret is stored under “%1”.").arg(request->key);
        }
    } else if (isBackendUnavailable(error)) {
        result = resultFromFallback(*request, job->errorString());
    } else if (error == QKeychain::AccessDeniedByUser) {
        result.error = tr("Access to the system keychain was denied. Allow Apolo Deploy Console when the keychain "
                          "asks, then try again.");
    } else {
        result.error = tr("The system keychain reported an error: %1").arg(job->errorString());
    }

    if (request->operation == Operation::Remove) {
        // A secret left in the fallback file from an earlier headless session goes too.
        InsecureSecretFile fallbackFile;
        const SecretResult removed = fallbackFile.remove(request->key);
        if (!removed.ok && !removed.notFound) {
            result.ok = false;
            result.error = removed.error;
        }
    }
    complete(*request, result);
    scheduleNext();
}

SecretResult SecretStore::resultFromFallback(const Request &request, const QString &keychainError)
{
    const QString message =
        tr("The system keychain is not available (%1). Install and unlock a Secret Service such as gnome-keyring "
           "or KWallet (Debian/Ubuntu: sudo apt install gnome-keyring libsecret-1-0) and sign in to your desktop "
           "session, then try again. On a headless machine you can instead allow the insecure plaintext fallback "
           "in the settings.")
            .arg(keychainError);
    qCWarning(lcSecrets).noquote() << "keychain unavailable:" << keychainError;
    Q_EMIT backendUnavailable(message);

    if (!insecureFallbackEnabled()) {
        SecretResult result;
        result.error = message;
        return result;
    }
    InsecureSecretFile fallbackFile;
    switch (request.operation) {
    case Operation::Read: return fallbackFile.read(request.key);
    case Operation::Write: return fallbackFile.write(request.key, request.value);
    case Operation::Remove: {
        SecretResult result = fallbackFile.remove(request.key);
        result.ok = result.ok || result.notFound;
        result.notFound = false;
        return result;
    }
    }
    Q_UNREACHABLE();
}

void SecretStore::onJobTimedOut()
{
    if (!m_active)
        return;
    // The job stays alive (parked) until QtKeychain finishes it; deleting it now would crash
    // when the backend calls back. onJobFinished() recognises it as stale.
    qCWarning(lcSecrets) << "keychain job for" << m_active->key << "timed out after" << m_jobTimeout.count() << "ms";
    m_activeJob = nullptr;
    const std::unique_ptr<Request> request = std::move(m_active);
    SecretResult result;
    result.error = tr("The system keychain did not answer within %n second(s). It may be locked and waiting for "
                      "a password: unlock it (for example in “Passwords and Keys”) and try again.",
                      nullptr, int((m_jobTimeout.count() + 999) / 1000));
    Q_EMIT backendUnavailable(result.error);
    complete(*request, result);
    scheduleNext();
}

void SecretStore::complete(const Request &request, const SecretResult &result)
{
    if (request.hasContext && !request.context)
        return;
    if (request.done)
        request.done(result);
}

} // namespace ApoloDeploy
