// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/Settings.h"
#include "support/TempConfig.h"

#include <QFile>
#include <QMetaEnum>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;

class TestSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults_areReturnedForUnsetKeys();
    void everyKey_hasUniqueNameAndScope();
    void roamingAndLocal_goToSeparateFiles();
    void setValue_isCoalescedUntilSync();
    void setValue_sameValueEmitsNothing();
    void reopen_readsWhatWasWritten();
    void newFile_isStampedWithCurrentVersion();
    void newerVersion_isReadNotDowngraded();
    void unwritableFolder_reportsWriteFailure();
    void environmentOverride_movesBothFiles();
};

void TestSettings::defaults_areReturnedForUnsetKeys()
{
    TempConfig config;
    const auto settings = Settings::createForDirectory(config.path());
    QCOMPARE(settings->value(Settings::Key::AllowInsecureSecretFallback).toBool(), false);
    QCOMPARE(settings->value(Settings::Key::UseSandboxWhenSignedOut).toBool(), true);
    QVERIFY(settings->value(Settings::Key::WindowState).toByteArray().isEmpty());
}

void TestSettings::everyKey_hasUniqueNameAndScope()
{
    const QMetaEnum keys = QMetaEnum::fromType<Settings::Key>();
    QSet<QString> names;
    for (int i = 0; i < keys.keyCount(); ++i) {
        const auto key = Settings::Key(keys.value(i));
        const QString name = Settings::keyName(key);
        QVERIFY2(!name.isEmpty() && name.contains(QLatin1Char('/')), keys.key(i));
        QVERIFY2(!names.contains(name), qPrintable(name));
        names.insert(name);
    }
    // Volatile state is local; preferences roam.
    QCOMPARE(Settings::scope(Settings::Key::WindowGeometry), Settings::Scope::Local);
    QCOMPARE(Settings::scope(Settings::Key::WindowState), Settings::Scope::Local);
    QCOMPARE(Settings::scope(Settings::Key::ApiUrl), Settings::Scope::Roaming);
}

void TestSettings::roamingAndLocal_goToSeparateFiles()
{
    TempConfig config;
    const auto settings = Settings::createForDirectory(config.path());
    settings->setValue(Settings::Key::CurrentCluster, QStringLiteral("gpu-cluster"));
    settings->setValue(Settings::Key::WindowState, QByteArray("layout-bytes"));
    QVERIFY(settings->sync());

    QSettings roaming(settings->roamingFilePath(), QSettings::IniFormat);
    QSettings local(settings->localFilePath(), QSettings::IniFormat);
    QCOMPARE(roaming.value(Settings::keyName(Settings::Key::CurrentCluster)).toString(), QStringLiteral("gpu-cluster"));
    QVERIFY(!roaming.contains(Settings::keyName(Settings::Key::WindowState)));
    QCOMPARE(local.value(Settings::keyName(Settings::Key::WindowState)).toByteArray(), QByteArray("layout-bytes"));
    QVERIFY(!local.contains(Settings::keyName(Settings::Key::CurrentCluster)));
}

void TestSettings::setValue_isCoalescedUntilSync()
{
    TempConfig config;
    const auto settings = Settings::createForDirectory(config.path());
    QVERIFY(settings->sync());
    // Raw bytes: a QSettings object in this process would share the unsynced in-memory cache.
    const auto fileText = [&] {
        QFile file(settings->roamingFilePath());
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    settings->setValue(Settings::Key::LogViewCap, 5000);
    settings->setValue(Settings::Key::LogViewCap, 6000);
    QVERIFY(!fileText().contains("viewCap"));
    // The coalescing timer writes without an explicit sync.
    QTRY_VERIFY(fileText().contains("viewCap=6000"));
}

void TestSettings::setValue_sameValueEmitsNothing()
{
    TempConfig config;
    const auto settings = Settings::createForDirectory(config.path());
    QSignalSpy changed(settings.get(), &Settings::changed);
    settings->setValue(Settings::Key::LogWrap, true);
    settings->setValue(Settings::Key::LogWrap, true);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().first().value<Settings::Key>(), Settings::Key::LogWrap);
}

void TestSettings::reopen_readsWhatWasWritten()
{
    TempConfig config;
    {
        const auto settings = Settings::createForDirectory(config.path());
        settings->setValue(Settings::Key::CurrencyCode, QStringLiteral("EUR"));
    } // the destructor flushes
    const auto reopened = Settings::createForDirectory(config.path());
    QCOMPARE(reopened->value(Settings::Key::CurrencyCode).toString(), QStringLiteral("EUR"));
}

void TestSettings::newFile_isStampedWithCurrentVersion()
{
    TempConfig config;
    const auto settings = Settings::createForDirectory(config.path());
    QVERIFY(settings->sync());
    QSettings onDisk(settings->roamingFilePath(), QSettings::IniFormat);
    QCOMPARE(onDisk.value(QStringLiteral("meta/configVersion")).toInt(), Settings::currentVersion);
}

void TestSettings::newerVersion_isReadNotDowngraded()
{
    TempConfig config;
    {
        QSettings future(config.path() + QStringLiteral("/settings.ini"), QSettings::IniFormat);
        future.setValue(QStringLiteral("meta/configVersion"), Settings::currentVersion + 5);
        future.setValue(Settings::keyName(Settings::Key::CurrentOrg), QStringLiteral("acme"));
    }
    {
        const auto settings = Settings::createForDirectory(config.path());
        QCOMPARE(settings->value(Settings::Key::CurrentOrg).toString(), QStringLiteral("acme"));
    }
    QSettings onDisk(config.path() + QStringLiteral("/settings.ini"), QSettings::IniFormat);
    QCOMPARE(onDisk.value(QStringLiteral("meta/configVersion")).toInt(), Settings::currentVersion + 5);
}

void TestSettings::unwritableFolder_reportsWriteFailure()
{
    TempConfig config;
    // A regular file where the folder should be: nothing can be written below it.
    const QString blocked = config.path() + QStringLiteral("/blocked");
    QFile blocker(blocked);
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const auto settings = Settings::createForDirectory(blocked);
    QSignalSpy failed(settings.get(), &Settings::writeFailed);
    settings->setValue(Settings::Key::CurrentProject, QStringLiteral("p"));
    QVERIFY(!settings->sync());
    QVERIFY(failed.count() >= 1);
    QVERIFY(settings->lastError().contains(blocked));
}

void TestSettings::environmentOverride_movesBothFiles()
{
    TempConfig config;
    QCOMPARE(Settings::roamingDirectory(), config.path());
    QCOMPARE(Settings::localDirectory(), config.path());
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
