// SPDX-License-Identifier: GPL-3.0-or-later
// SecretStore against a real Secret Service. ./dev test runs the suite inside a private D-Bus
// session with an unlocked gnome-keyring (with_keyring in ./dev).
#include "SecretTestHelpers.h"
#include "core/InsecureSecretFile.h"
#include "core/SecretStore.h"
#include "support/TempConfig.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUuid>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;

class TestSecretStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void write_thenReadReturnsValue();
    void write_twiceOverwrites();
    void remove_thenReadIsNotFound();
    void read_missingKeyIsNotFound();
    void remove_missingKeySucceeds();
    void binaryValue_roundTrips();
    void manyJobs_completeInSubmissionOrder();
    void destroyedContext_callbackIsNotCalled();
    void callback_isNeverSynchronous();
    void keychainAvailable_fallbackFileIsNeverWritten();

private:
    QString uniqueKey(const QString &name);

    std::unique_ptr<TempConfig> m_config;
    QString m_prefix;
    QStringList m_keysUsed;
};

QString TestSecretStore::uniqueKey(const QString &name)
{
    const QString key = m_prefix + name;
    m_keysUsed << key;
    return key;
}

void TestSecretStore::initTestCase()
{
    m_config = std::make_unique<TempConfig>();
    m_prefix = QStringLiteral("tst_secretstore/%1/").arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
    const auto probe = writeSecret(m_prefix + QStringLiteral("probe"), "probe");
    QVERIFY2(probe, "the keychain never answered");
    if (!probe->ok)
        QFAIL(qPrintable(QStringLiteral("This test needs a running, unlocked Secret Service. Run it through "
                                        "./dev test (dbus-run-session + gnome-keyring-daemon --unlock). Error: ") +
                         probe->error));
    QVERIFY(removeSecret(m_prefix + QStringLiteral("probe")).value().ok);
}

void TestSecretStore::cleanupTestCase()
{
    for (const QString &key : std::as_const(m_keysUsed))
        removeSecret(key);
}

void TestSecretStore::write_thenReadReturnsValue()
{
    const QString key = uniqueKey(QStringLiteral("token"));
    const auto written = writeSecret(key, "s3cr3t-token");
    QVERIFY(written);
    QVERIFY2(written->ok, qPrintable(written->error));
    const auto read = readSecret(key);
    QVERIFY(read);
    QVERIFY2(read->ok, qPrintable(read->error));
    QVERIFY(!read->notFound);
    QCOMPARE(read->value, QByteArray("s3cr3t-token"));
}

void TestSecretStore::write_twiceOverwrites()
{
    const QString key = uniqueKey(QStringLiteral("overwrite"));
    QVERIFY(writeSecret(key, "first").value().ok);
    QVERIFY(writeSecret(key, "second").value().ok);
    QCOMPARE(readSecret(key).value().value, QByteArray("second"));
}

void TestSecretStore::remove_thenReadIsNotFound()
{
    const QString key = uniqueKey(QStringLiteral("remove"));
    QVERIFY(writeSecret(key, "gone soon").value().ok);
    const auto removed = removeSecret(key);
    QVERIFY(removed);
    QVERIFY2(removed->ok, qPrintable(removed->error));
    const auto read = readSecret(key);
    QVERIFY(read);
    QVERIFY(!read->ok);
    QVERIFY(read->notFound);
    QVERIFY(read->value.isEmpty());
}

void TestSecretStore::read_missingKeyIsNotFound()
{
    const auto read = readSecret(uniqueKey(QStringLiteral("never-written")));
    QVERIFY(read);
    QVERIFY(!read->ok);
    QVERIFY(read->notFound);
}

void TestSecretStore::remove_missingKeySucceeds()
{
    const auto removed = removeSecret(uniqueKey(QStringLiteral("never-written-either")));
    QVERIFY(removed);
    QVERIFY2(removed->ok, qPrintable(removed->error));
}

void TestSecretStore::binaryValue_roundTrips()
{
    QByteArray value;
    for (int i = 0; i < 256; ++i)
        value.append(char(i));
    const QString key = uniqueKey(QStringLiteral("binary"));
    QVERIFY(writeSecret(key, value).value().ok);
    QCOMPARE(readSecret(key).value().value, value);
}

void TestSecretStore::manyJobs_completeInSubmissionOrder()
{
    constexpr int count = 12;
    QStringList completed;
    QList<QByteArray> readValues;
    SecretStore &store = SecretStore::instance();
    for (int i = 0; i < count; ++i) {
        const QString key = uniqueKey(QStringLiteral("queue-%1").arg(i));
        store.write(key, QByteArray::number(i * 7), nullptr, [&completed, i](const SecretResult &r) {
            completed << (r.ok ? QStringLiteral("w%1").arg(i) : r.error);
        });
        store.read(key, nullptr, [&completed, &readValues, i](const SecretResult &r) {
            completed << QStringLiteral("r%1").arg(i);
            readValues << r.value;
        });
    }
    QCOMPARE(store.pendingCount(), 2 * count); // nothing starts before the event loop runs
    QTRY_COMPARE_WITH_TIMEOUT(completed.size(), 2 * count, 30000);
    QStringList expected;
    for (int i = 0; i < count; ++i)
        expected << QStringLiteral("w%1").arg(i) << QStringLiteral("r%1").arg(i);
    QCOMPARE(completed, expected);
    for (int i = 0; i < count; ++i)
        QCOMPARE(readValues.at(i), QByteArray::number(i * 7));
    QCOMPARE(store.pendingCount(), 0);
}

void TestSecretStore::destroyedContext_callbackIsNotCalled()
{
    const QString key = uniqueKey(QStringLiteral("context"));
    QVERIFY(writeSecret(key, "value").value().ok);
    SecretStore &store = SecretStore::instance();

    auto *queuedContext = new QObject;
    auto *inFlightContext = new QObject;
    bool queuedCalled = false;
    bool inFlightCalled = false;
    int pendingWhenInFlightContextDied = -1;
    store.read(key, nullptr, [&](const SecretResult &) {
        delete queuedContext; // its request has not started yet
        // Two posted hops: the store starts the next job from a zero-delay timer posted after this
        // callback returns, so the inner hop runs while that job is in flight.
        QTimer::singleShot(0, [&] {
            QTimer::singleShot(0, [&] {
                pendingWhenInFlightContextDied = store.pendingCount();
                delete inFlightContext;
            });
        });
    });
    store.read(key, queuedContext, [&](const SecretResult &) { queuedCalled = true; });
    store.read(key, inFlightContext, [&](const SecretResult &) { inFlightCalled = true; });
    std::optional<SecretResult> last;
    store.read(key, nullptr, [&](const SecretResult &r) { last = r; });

    QTRY_VERIFY_WITH_TIMEOUT(last.has_value(), 15000);
    QCOMPARE(last->value, QByteArray("value"));
    QCOMPARE(pendingWhenInFlightContextDied, 2); // the in-flight job and the last one
    QVERIFY(!queuedCalled);
    QVERIFY(!inFlightCalled);
}

void TestSecretStore::callback_isNeverSynchronous()
{
    bool called = false;
    SecretStore::instance().read(uniqueKey(QStringLiteral("async")), nullptr,
                                 [&called](const SecretResult &) { called = true; });
    QVERIFY(!called);
    QTRY_VERIFY(called);
}

void TestSecretStore::keychainAvailable_fallbackFileIsNeverWritten()
{
    QVERIFY(!SecretStore::instance().insecureFallbackEnabled());
    SecretStore::instance().setInsecureFallbackEnabled(true);
    const QString key = uniqueKey(QStringLiteral("keychain-wins"));
    QSignalSpy unavailable(&SecretStore::instance(), &SecretStore::backendUnavailable);
    QVERIFY(writeSecret(key, "in the keychain").value().ok);
    SecretStore::instance().setInsecureFallbackEnabled(false);
    QVERIFY(!QFile::exists(SecretStore::insecureFallbackFilePath()));
    QCOMPARE(unavailable.count(), 0);
    QCOMPARE(readSecret(key).value().value, QByteArray("in the keychain"));
}

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
