// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/ApoloCliImport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <sqlite3.h>
#include <sys/stat.h>

namespace ApoloDeploy::ApoloCliImport {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ApoloCliImport", text);
}

ApoloError importError(const QString &message, const QString &hint)
{
    ApoloError error;
    error.kind = ApoloError::Kind::Validation;
    error.message = message;
    error.hint = hint;
    return error;
}

// Exact permission bits, as the SDK checks them (st_mode & 0777).
int permissionBits(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 0777);
}

struct Database
{
    sqlite3 *handle = nullptr;
    ~Database() { sqlite3_close(handle); }
};

QString columnText(sqlite3_stmt *statement, int column)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(statement, column));
    return text ? QString::fromUtf8(text) : QString();
}

} // namespace

QString configDirectory()
{
    const QString configured = qEnvironmentVariable("APOLO_CONFIG");
    if (!configured.isEmpty())
        return QDir::cleanPath(configured);
    const QString home = QDir::homePath();
    const QString current = home + QStringLiteral("/.apolo");
    if (QFileInfo::exists(current + QStringLiteral("/db")))
        return current;
    const QString legacyConfigured = qEnvironmentVariable("NEUROMATION_CONFIG");
    const QString legacy = legacyConfigured.isEmpty() ? home + QStringLiteral("/.neuro") : legacyConfigured;
    if (QFileInfo::exists(legacy + QStringLiteral("/db")))
        return legacy;
    return current;
}

ApoloResult<ApoloCliLogin> import(const QString &configDirectoryOverride)
{
    const QString directory = configDirectoryOverride.isEmpty() ? configDirectory() : configDirectoryOverride;
    const QString path = directory + QStringLiteral("/db");
    if (!QFileInfo(path).isFile())
        return importError(tr("No apolo CLI login found in %1.").arg(directory),
                           tr("Run 'apolo login' first, or sign in here with a token or the browser."));
    const int directoryMode = permissionBits(directory);
    if (directoryMode != 0700)
        return importError(tr("The apolo CLI folder %1 has unsafe permissions (%2); it is not read.")
                               .arg(directory, QString::number(directoryMode, 8)),
                           tr("Run 'chmod 700 %1' if the folder is yours, then try again.").arg(directory));
    const int fileMode = permissionBits(path);
    if (fileMode != 0600)
        return importError(tr("The apolo CLI login file %1 has unsafe permissions (%2); it is not read.")
                               .arg(path, QString::number(fileMode, 8)),
                           tr("Run 'chmod 600 %1' if the file is yours, then try again.").arg(path));

    Database db;
    const QByteArray uri =
        "file:" + QUrl::toPercentEncoding(QFileInfo(path).absoluteFilePath(), "/") + "?mode=ro&immutable=1";
    if (sqlite3_open_v2(uri.constData(), &db.handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK)
        return importError(
            tr("Cannot open the apolo CLI login %1: %2").arg(path, QString::fromUtf8(sqlite3_errmsg(db.handle))),
            tr("Run 'apolo login' again, or sign in here with a token or the browser."));

    // Older CLI versions lack some columns: select only those that exist.
    QStringList columns;
    {
        sqlite3_stmt *info = nullptr;
        if (sqlite3_prepare_v2(db.handle, "PRAGMA table_info(main)", -1, &info, nullptr) == SQLITE_OK) {
            while (sqlite3_step(info) == SQLITE_ROW)
                columns << columnText(info, 1);
        }
        sqlite3_finalize(info);
    }
    if (!columns.contains(QStringLiteral("token")) || !columns.contains(QStringLiteral("url")))
        return importError(tr("%1 is not an apolo CLI login database (no 'main' table with a token).").arg(path),
                           tr("Run 'apolo login' again, or sign in here with a token or the browser."));
    const QStringList wanted{QStringLiteral("token"),         QStringLiteral("url"),
                             QStringLiteral("refresh_token"), QStringLiteral("expiration_time"),
                             QStringLiteral("cluster_name"),  QStringLiteral("org_name"),
                             QStringLiteral("project_name")};
    QStringList selected;
    for (const QString &column : wanted)
        selected << (columns.contains(column) ? column : QStringLiteral("NULL"));
    const QString order =
        columns.contains(QStringLiteral("timestamp")) ? QStringLiteral(" ORDER BY timestamp DESC") : QString();
    const QByteArray sql = QStringLiteral("SELECT %1 FROM main%2 LIMIT 1").arg(selected.join(u','), order).toUtf8();
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(db.handle, sql.constData(), -1, &statement, nullptr) != SQLITE_OK)
        return importError(
            tr("Cannot read the apolo CLI login %1: %2").arg(path, QString::fromUtf8(sqlite3_errmsg(db.handle))),
            tr("Run 'apolo login' again, or sign in here with a token or the browser."));
    ApoloCliLogin login;
    login.databasePath = path;
    const int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
        login.credentials.accessToken = columnText(statement, 0);
        login.apiUrl = QUrl(columnText(statement, 1), QUrl::StrictMode);
        login.credentials.refreshToken = columnText(statement, 2);
        if (sqlite3_column_type(statement, 3) != SQLITE_NULL) {
            // Already includes the SDK's 75 % factor: it is when to renew, not the hard expiry.
            const auto seconds = qint64(sqlite3_column_double(statement, 3));
            login.credentials.refreshAt = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
        }
        login.scope = ProjectScope{columnText(statement, 4), columnText(statement, 5), columnText(statement, 6)};
    }
    sqlite3_finalize(statement);
    if (step != SQLITE_ROW || login.credentials.accessToken.isEmpty())
        return importError(tr("The apolo CLI is not signed in (%1 holds no login).").arg(path),
                           tr("Run 'apolo login' first, or sign in here with a token or the browser."));
    if (!login.apiUrl.isValid() || login.apiUrl.host().isEmpty())
        return importError(tr("The apolo CLI login in %1 has no valid API URL.").arg(path),
                           tr("Run 'apolo login' again."));
    return login;
}

} // namespace ApoloDeploy::ApoloCliImport
