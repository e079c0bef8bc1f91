// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/PlatformCli.h"

#include <QCoreApplication>

namespace ApoloDeploy::PlatformCli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

} // namespace

PlatformSession &createSession(CliContext &context)
{
    PlatformSession::Options options;
    options.global = context.global();
    // Owned by the application: it must outlive the command's callbacks, which run until exit.
    return *new PlatformSession(options, QCoreApplication::instance());
}

void withSession(CliContext &context, std::function<void(PlatformSession &session)> ready)
{
    PlatformSession &session = createSession(context);
    CliContext *ctx = &context;
    QObject::connect(
        &session, &PlatformSession::ready, &session, [ctx, &session, ready] { ready(session); },
        Qt::SingleShotConnection);
    QObject::connect(&session, &PlatformSession::failed, &session,
                     [ctx](const ApoloError &error) { fail(*ctx, error); });
    session.connectToPlatform();
}

void fail(CliContext &context, const ApoloError &error)
{
    QString message = error.message.isEmpty() ? ApoloError::kindName(error.kind) : error.message;
    context.err() << tr("error: %1").arg(message) << Qt::endl;
    for (const ApoloError::MissingPermission &permission : error.missing)
        context.err() << "  " << tr("missing '%1' permission on %2").arg(permission.action, permission.uri) << Qt::endl;
    if (!error.hint.isEmpty())
        context.err() << error.hint << Qt::endl;
    context.finish(1);
}

QString formatTable(const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (widths.size() <= i)
                widths << 0;
            widths[i] = std::max(widths[i], row.at(i).size());
        }
    }
    QString text;
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row.at(i).leftJustified(widths.at(i) + 2) : row.at(i);
        text += line + u'\n';
    }
    return text;
}

QString formatBytes(qint64 bytes)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 5) {
        value /= 1024;
        ++unit;
    }
    const int decimals = (unit == 0 || value >= 100 || value == qint64(value)) ? 0 : 1;
    return QString::number(value, 'f', decimals) + u' ' + QLatin1String(units[unit]);
}

} // namespace ApoloDeploy::PlatformCli
