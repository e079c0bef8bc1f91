// SPDX-License-Identifier: GPL-3.0-or-later
// CONTRIBUTING rule 6: secrets live only in the OS keychain. Writes secrets through SecretStore,
// exercises every setting, then scans every file the app wrote and every QSettings value for the
// secret bytes in the encodings a careless writer would use. Needs the keyring ./dev test provides.
#include "SecretTestHelpers.h"
#include "core/SecretStore.h"
#include "core/Settings.h"
#include "support/TempConfig.h"

#include <QFile>
#include <QMetaEnum>
#include <QRandomGenerator>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <algorithm>

using namespace ApoloDeploy;
using namespace ApoloDeploy::Test;

namespace {

QList<QByteArray> encodingsOf(const QByteArray &secret)
{
    return {secret,
            secret.toBase64(),
            secret.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals),
            secret.toHex(),
            secret.toPercentEncoding(),
            QByteArray(reinterpret_cast<const char *>(QString::fromLatin1(secret).utf16()), secret.size() * 2)};
}

// The files that contain any encoding of any secret.
QStringList filesContaining(const QStringList &files, const QList<QByteArray> &secrets)
{
    QStringList hits;
    for (const QString &path : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray contents = file.readAll();
        const bool leaked = std::any_of(secrets.begin(), secrets.end(), [&](const QByteArray &secret) {
            const QList<QByteArray> encodings = encodingsOf(secret);
            return std::any_of(encodings.begin(), encodings.end(),
                               [&](const QByteArray &encoded) { return contents.contains(encoded); });
        });
        if (leaked)
            hits << path;
    }
    return hits;
}

} // namespace

class TestNoSecretLeak : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scanner_findsAPlantedSecret();
    void secretsAndSettings_leaveNoTraceInFiles();
};

void TestNoSecretLeak::scanner_findsAPlantedSecret()
{
    // Proves the scan below can fail: a secret written to a file in any encoding is found.
    QTemporaryDir dir;
    const QByteArray secret = "planted-canary-4711";
    const QList<QByteArray> encodings = encodingsOf(secret);
    for (int i = 0; i < encodings.size(); ++i) {
        QFile file(dir.filePath(QStringLiteral("f%1").arg(i)));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("prefix " + encodings.at(i) + " suffix");
        file.close();
        QCOMPARE(filesContaining({file.fileName()}, {secret}).size(), 1);
    }
}

void TestNoSecretLeak::secretsAndSettings_leaveNoTraceInFiles()
{
    TempConfig config;
    QList<QByteArray> secrets;
    QStringList keys;
    for (int i = 0; i < 3; ++i) {
        secrets << "leakcheck-" + QByteArray::number(QRandomGenerator::global()->generate64(), 36);
        keys << QStringLiteral("tst_nosecretleak/%1/%2").arg(QString::fromLatin1(secrets.last())).arg(i);
    }
    // Write, overwrite, read and remove: every code path the app uses.
    for (int i = 0; i < secrets.size(); ++i) {
        const auto written = writeSecret(keys.at(i), secrets.at(i) + "-old");
        QVERIFY2(written && written->ok, written ? qPrintable(written->error) : "no answer");
        QVERIFY(writeSecret(keys.at(i), secrets.at(i)).value().ok);
        QCOMPARE(readSecret(keys.at(i)).value().value, secrets.at(i));
    }

    // Every setting written with a value, then flushed: neither file may hold a secret.
    Settings &settings = Settings::instance();
    const QMetaEnum metaKeys = QMetaEnum::fromType<Settings::Key>();
    for (int i = 0; i < metaKeys.keyCount(); ++i) {
        const auto key = Settings::Key(metaKeys.value(i));
        const QVariant fallback = Settings::defaultValue(key);
        settings.setValue(key, fallback.typeId() == QMetaType::Bool  ? QVariant(!fallback.toBool())
                               : fallback.typeId() == QMetaType::Int ? QVariant(fallback.toInt() + 1)
                                                                     : QVariant(QStringLiteral("value-%1").arg(i)));
    }
    QVERIFY(settings.sync());

    QVERIFY(!config.files().isEmpty());
    QCOMPARE(filesContaining(config.files(), secrets), QStringList());
    for (const QString &path : {settings.roamingFilePath(), settings.localFilePath()}) {
        QVERIFY(QFile::exists(path));
        QSettings stored(path, QSettings::IniFormat);
        for (const QString &name : stored.allKeys()) {
            const QByteArray value = stored.value(name).toString().toUtf8() + stored.value(name).toByteArray();
            for (const QByteArray &secret : std::as_const(secrets)) {
                QVERIFY2(!name.toUtf8().contains(secret), qPrintable(name));
                QVERIFY2(!value.contains(secret), qPrintable(name));
            }
        }
    }
    QVERIFY(!QFile::exists(SecretStore::insecureFallbackFilePath()));

    for (const QString &key : std::as_const(keys))
        QVERIFY(removeSecret(key).value().ok);
    settings.setValue(Settings::Key::AllowInsecureSecretFallback, false);
    QVERIFY(settings.sync());
}

QTEST_GUILESS_MAIN(TestNoSecretLeak)
#include "tst_nosecretleak.moc"
