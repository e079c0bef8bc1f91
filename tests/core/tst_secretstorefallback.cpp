// SPDX-License-Identifier: GPL-3.0-or-later
// SecretStore without any Secret Service: this executable points D-Bus at nowhere before the
// first keychain call, like a headless server or a CI job without dbus-run-session.
#include "SecretTestHelpers.h"
#include "core/InsecureSecretFile.h"
#include "core/SecretStore.h"
#include "core/Settings.h"
#include "support/TempConfig.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTest>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;

class TestSecretStoreFallback : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fallback_isOffByDefault();
    void noBackend_writeFailsWithInstructions();
    void noBackend_readFailsButIsNotNotFound();
    void optIn_storesInOwnerOnlyFileApartFromSettings();
    void optIn_removeLastSecretDeletesFile();
    void optOutAgain_fileIsNoLongerRead();
    void damagedFile_reportsWhatToDo();
    void unresponsiveKeychain_timesOutAndQueueMovesOn(); // must stay last: it wedges D-Bus

private:
    std::unique_ptr<TempConfig> m_config;
};

void TestSecretStoreFallback::initTestCase()
{
    m_config = std::make_unique<TempConfig>();
    qputenv("DBUS_SESSION_BUS_ADDRESS", QByteArray("unix:path=") + QFile::encodeName(m_config->path()) + "/no-bus");
    qunsetenv("DISPLAY"); // no X11 autolaunch of a D-Bus session either
    QVERIFY(SecretStore::insecureFallbackFilePath().startsWith(m_config->path()));
}

void TestSecretStoreFallback::fallback_isOffByDefault()
{
    QVERIFY(!SecretStore::instance().insecureFallbackEnabled());
    QCOMPARE(Settings::defaultValue(Settings::Key::AllowInsecureSecretFallback).toBool(), false);
}

void TestSecretStoreFallback::noBackend_writeFailsWithInstructions()
{
    QSignalSpy unavailable(&SecretStore::instance(), &SecretStore::backendUnavailable);
    const auto written = writeSecret(QStringLiteral("token"), "headless-secret");
    QVERIFY(written);
    QVERIFY(!written->ok);
    QVERIFY(written->error.contains(QLatin1String("gnome-keyring")));
    QVERIFY(written->error.contains(QLatin1String("fallback")));
    QCOMPARE(unavailable.count(), 1);
    QCOMPARE(unavailable.first().first().toString(), written->error);
    QVERIFY(!QFile::exists(SecretStore::insecureFallbackFilePath()));
}

void TestSecretStoreFallback::noBackend_readFailsButIsNotNotFound()
{
    const auto read = readSecret(QStringLiteral("token"));
    QVERIFY(read);
    QVERIFY(!read->ok);
    // "No keychain" must not look like "signed out": the caller would throw the session away.
    QVERIFY(!read->notFound);
    QVERIFY(!read->error.isEmpty());
}

void TestSecretStoreFallback::optIn_storesInOwnerOnlyFileApartFromSettings()
{
    SecretStore::instance().setInsecureFallbackEnabled(true);
    QVERIFY(writeSecret(QStringLiteral("token"), "first").value().ok);
    QVERIFY(writeSecret(QStringLiteral("token"), "headless-secret").value().ok);
    QVERIFY(writeSecret(QStringLiteral("other"), QByteArray("\0\x01\xff", 3)).value().ok);

    const auto read = readSecret(QStringLiteral("token"));
    QVERIFY(read);
    QVERIFY2(read->ok, qPrintable(read->error));
    QCOMPARE(read->value, QByteArray("headless-secret"));
    QCOMPARE(readSecret(QStringLiteral("other")).value().value, QByteArray("\0\x01\xff", 3));
    QVERIFY(readSecret(QStringLiteral("missing")).value().notFound);

    const QFileInfo file(SecretStore::insecureFallbackFilePath());
    QVERIFY(file.exists());
    QVERIFY(file.fileName().contains(QLatin1String("NOT-ENCRYPTED")));
    QCOMPARE(file.permissions(),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser);

    QVERIFY(Settings::instance().sync());
    QFile settingsFile(Settings::instance().roamingFilePath());
    QVERIFY(settingsFile.open(QIODevice::ReadOnly));
    const QByteArray settingsText = settingsFile.readAll();
    QVERIFY(!settingsText.contains("headless-secret"));
    QVERIFY(!settingsText.contains(QByteArray("headless-secret").toBase64()));
}

void TestSecretStoreFallback::optIn_removeLastSecretDeletesFile()
{
    QVERIFY(removeSecret(QStringLiteral("other")).value().ok);
    QVERIFY(QFile::exists(SecretStore::insecureFallbackFilePath()));
    QVERIFY(removeSecret(QStringLiteral("token")).value().ok);
    QVERIFY(!QFile::exists(SecretStore::insecureFallbackFilePath()));
    QVERIFY(removeSecret(QStringLiteral("token")).value().ok); // removing twice is fine
}

void TestSecretStoreFallback::optOutAgain_fileIsNoLongerRead()
{
    QVERIFY(writeSecret(QStringLiteral("token"), "kept").value().ok);
    SecretStore::instance().setInsecureFallbackEnabled(false);
    const auto read = readSecret(QStringLiteral("token"));
    QVERIFY(!read.value().ok);
    QVERIFY(read->value.isEmpty());
    // Removing is always allowed, so opting out can clean up the plaintext copy.
    QVERIFY(!removeSecret(QStringLiteral("token")).value().ok); // the keychain itself is still unreachable
    QVERIFY(!QFile::exists(SecretStore::insecureFallbackFilePath()));
}

void TestSecretStoreFallback::damagedFile_reportsWhatToDo()
{
    InsecureSecretFile file(m_config->path() + QStringLiteral("/damaged.json"));
    QFile raw(file.filePath());
    QVERIFY(raw.open(QIODevice::WriteOnly));
    raw.write("{ not json");
    raw.close();
    const SecretResult read = file.read(QStringLiteral("token"));
    QVERIFY(!read.ok);
    QVERIFY(!read.notFound);
    QVERIFY(read.error.contains(QLatin1String("Delete it")));
    // Nothing is lost: a write refuses to replace a file it cannot understand.
    QVERIFY(!file.write(QStringLiteral("token"), "x").ok);
    QVERIFY(raw.open(QIODevice::ReadOnly));
    QCOMPARE(raw.readAll(), QByteArray("{ not json"));
}

void TestSecretStoreFallback::unresponsiveKeychain_timesOutAndQueueMovesOn()
{
    // A "bus" that accepts the connection and never answers: the keychain job hangs forever,
    // like a locked KWallet waiting for a prompt.
    QLocalServer blackHole;
    const QString socketPath = m_config->path() + QStringLiteral("/black-hole-bus");
    QVERIFY(blackHole.listen(socketPath));
    std::vector<QLocalSocket *> held;
    connect(&blackHole, &QLocalServer::newConnection, this, [&] { held.push_back(blackHole.nextPendingConnection()); });
    qputenv("DBUS_SESSION_BUS_ADDRESS", QByteArray("unix:path=") + QFile::encodeName(socketPath));

    SecretStore &store = SecretStore::instance();
    store.setJobTimeout(std::chrono::milliseconds(300));
    QSignalSpy unavailable(&store, &SecretStore::backendUnavailable);
    QElapsedTimer clock;
    clock.start();
    std::optional<SecretResult> first;
    std::optional<SecretResult> second;
    store.read(QStringLiteral("token"), nullptr, [&](const SecretResult &r) { first = r; });
    store.read(QStringLiteral("token"), nullptr, [&](const SecretResult &r) { second = r; });
    QTRY_VERIFY_WITH_TIMEOUT(first.has_value() && second.has_value(), 10000);
    QVERIFY(!first->ok);
    QVERIFY(first->error.contains(QLatin1String("did not answer")));
    QVERIFY(!second->ok);
    QVERIFY(clock.elapsed() >= 2 * 300);
    QCOMPARE(store.pendingCount(), 0);
    QVERIFY(unavailable.count() >= 2);
    QVERIFY(!held.empty()); // it really was our black hole that stalled the job
    store.setJobTimeout(std::chrono::seconds(10));
}

QTEST_GUILESS_MAIN(TestSecretStoreFallback)
#include "tst_secretstorefallback.moc"
