// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/ApoloCliImport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <sys/stat.h>

using namespace ApoloDeploy;

namespace {

// The SDK's `main` table (apolo_sdk/_config.py), one row per login.
const char *schema = "CREATE TABLE main (auth_config TEXT, token TEXT, expiration_time REAL, refresh_token TEXT, "
                     "url TEXT, admin_url TEXT, vcluster_url TEXT, version TEXT, project_name TEXT, cluster_name TEXT, "
                     "org_name TEXT, clusters TEXT, projects TEXT, timestamp REAL)";

bool exec(sqlite3 *db, const QByteArray &sql)
{
    return sqlite3_exec(db, sql.constData(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

QString makeConfig(const QTemporaryDir &dir, bool withRows = true)
{
    const QString folder = dir.path() + QStringLiteral("/.apolo");
    QDir().mkpath(folder);
    ::chmod(QFile::encodeName(folder).constData(), 0700);
    const QString path = folder + QStringLiteral("/db");
    sqlite3 *db = nullptr;
    sqlite3_open(QFile::encodeName(path).constData(), &db);
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, schema);
    if (withRows) {
        exec(db, "INSERT INTO main (token, expiration_time, refresh_token, url, cluster_name, org_name, project_name, "
                 "timestamp) VALUES ('old-token', 1700000000, 'old-refresh', 'https://old.apolo.us/api/v1', 'c0', "
                 "'o0', 'p0', 100)");
        exec(db, "INSERT INTO main (token, expiration_time, refresh_token, url, cluster_name, org_name, project_name, "
                 "timestamp) VALUES ('new-token', 1800000000, 'new-refresh', 'https://api.apolo.us/api/v1', 'c1', "
                 "'acme', 'research', 200)");
    }
    sqlite3_close(db); // the last connection checkpoints the WAL, as the CLI's does
    ::chmod(QFile::encodeName(path).constData(), 0600);
    return folder;
}

} // namespace

class tst_ApoloCliImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void import_readsTheLatestLogin()
    {
        QTemporaryDir dir;
        const QString folder = makeConfig(dir);
        const QByteArray before = [&] {
            QFile file(folder + QStringLiteral("/db"));
            file.open(QIODevice::ReadOnly);
            return file.readAll();
        }();
        const ApoloResult<ApoloCliLogin> login = ApoloCliImport::import(folder);
        QVERIFY2(login.ok(), qPrintable(login.error().toString()));
        QCOMPARE(login->credentials.accessToken, QStringLiteral("new-token"));
        QCOMPARE(login->credentials.refreshToken, QStringLiteral("new-refresh"));
        QCOMPARE(login->credentials.refreshAt, QDateTime::fromSecsSinceEpoch(1800000000, Qt::UTC));
        QCOMPARE(login->apiUrl, QUrl(QStringLiteral("https://api.apolo.us/api/v1")));
        QCOMPARE(login->scope,
                 (ProjectScope{QStringLiteral("c1"), QStringLiteral("acme"), QStringLiteral("research")}));
        // Read only: the file is untouched and no journal files appear.
        QFile file(folder + QStringLiteral("/db"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), before);
        QVERIFY(!QFile::exists(folder + QStringLiteral("/db-wal")));
        QVERIFY(!QFile::exists(folder + QStringLiteral("/db-shm")));
    }

    void import_refusesUnsafePermissions()
    {
        QTemporaryDir dir;
        const QString folder = makeConfig(dir);
        ::chmod(QFile::encodeName(folder + QStringLiteral("/db")).constData(), 0644);
        ApoloResult<ApoloCliLogin> login = ApoloCliImport::import(folder);
        QVERIFY(!login.ok());
        QVERIFY(login.error().message.contains(QStringLiteral("644")));
        QVERIFY(login.error().hint.contains(QStringLiteral("chmod 600")));
        ::chmod(QFile::encodeName(folder + QStringLiteral("/db")).constData(), 0600);
        ::chmod(QFile::encodeName(folder).constData(), 0755);
        login = ApoloCliImport::import(folder);
        QVERIFY(!login.ok());
        QVERIFY(login.error().hint.contains(QStringLiteral("chmod 700")));
    }

    void import_explainsMissingOrEmptyLogins()
    {
        QTemporaryDir dir;
        ApoloResult<ApoloCliLogin> login = ApoloCliImport::import(dir.path() + QStringLiteral("/nothing"));
        QVERIFY(!login.ok());
        QVERIFY(login.error().hint.contains(QStringLiteral("apolo login")));

        QTemporaryDir empty;
        login = ApoloCliImport::import(makeConfig(empty, false));
        QVERIFY(!login.ok());
        QVERIFY(login.error().message.contains(QStringLiteral("not signed in")));
    }

    void configDirectory_followsApoloConfig()
    {
        qputenv("APOLO_CONFIG", "/tmp/some-apolo-dir/");
        QCOMPARE(ApoloCliImport::configDirectory(), QStringLiteral("/tmp/some-apolo-dir"));
        qunsetenv("APOLO_CONFIG");
    }
};

QTEST_GUILESS_MAIN(tst_ApoloCliImport)
#include "tst_apolocliimport.moc"
