// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliApp.h"

#include "core/AppInfo.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace ApoloDeploy::CliApp {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

const CommandSpec *findCommand(const QString &name)
{
    for (const CommandSpec &spec : commandTable()) {
        if (name == QLatin1String(spec.name))
            return &spec;
    }
    return nullptr;
}

} // namespace

Invocation parse(const QStringList &arguments)
{
    // Options after the subcommand belong to it: the subcommand parses them with its own parser.
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, tr("print this help"));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")}, tr("print the version"));
    const QCommandLineOption apiUrl(QStringLiteral("api-url"), tr("Apolo API URL"), QStringLiteral("URL"));
    const QCommandLineOption sandbox(QStringLiteral("sandbox"), tr("use the embedded apolo-sandbox"));
    parser.addOptions({help, version, apiUrl, sandbox});
    // QApplication's own options, accepted here so that they reach it untouched.
    for (const char *qtOption : {"platform", "style", "display", "qwindowtitle", "qwindowgeometry"}) {
        QCommandLineOption option(QString::fromLatin1(qtOption), QString(), QStringLiteral("value"));
        option.setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(option);
    }

    Invocation invocation;
    if (!parser.parse(arguments)) {
        invocation.error = parser.errorText() + QLatin1Char('\n') + tr("Run 'apolo-deploy --help' for the list.");
        return invocation;
    }
    invocation.showHelp = parser.isSet(help);
    invocation.showVersion = parser.isSet(version);
    invocation.global.sandbox = parser.isSet(sandbox);
    invocation.commandArguments = parser.positionalArguments();
    if (parser.isSet(apiUrl)) {
        const QString value = parser.value(apiUrl);
        const QUrl url(value, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")) ||
            url.host().isEmpty()) {
            invocation.error = tr("--api-url: '%1' is not an http(s) URL, e.g. https://api.apolo.us/api/v1").arg(value);
            return invocation;
        }
        invocation.global.apiUrl = url;
    }
    if (invocation.global.sandbox && !invocation.global.apiUrl.isEmpty())
        invocation.error = tr("--sandbox and --api-url exclude each other: pick one.");
    return invocation;
}

QString helpText()
{
    QString text;
    QTextStream s(&text);
    s << tr("Usage: apolo-deploy [--api-url URL | --sandbox] [COMMAND [OPTIONS]]") << '\n'
      << '\n'
      << tr("Without a command the console window opens.") << '\n'
      << '\n'
      << tr("Global options:") << '\n'
      << "  --api-url URL   " << tr("Apolo API to use (default: the one you signed in to)") << '\n'
      << "  --sandbox       " << tr("use the embedded apolo-sandbox instead of a real account") << '\n'
      << "  --version       " << tr("print the version and git revision") << '\n'
      << "  --help          " << tr("print this help") << '\n'
      << '\n'
      << tr("Commands:") << '\n';
    for (const CommandSpec &spec : commandTable())
        s << "  " << QString::fromLatin1(spec.name).leftJustified(15) << ' ' << tr(spec.summary) << '\n';
    s << '\n' << tr("Run 'apolo-deploy COMMAND --help' for a command's options.") << '\n';
    return text;
}

int run(const Invocation &invocation)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (!invocation.error.isEmpty()) {
        err << invocation.error << Qt::endl;
        return 2;
    }
    if (invocation.showVersion) {
        out << AppInfo::versionLine() << Qt::endl;
        return 0;
    }
    if (invocation.showHelp || invocation.commandArguments.isEmpty()) {
        out << helpText();
        out.flush();
        return 0;
    }
    const QString name = invocation.commandArguments.constFirst();
    const CommandSpec *spec = findCommand(name);
    if (!spec) {
        err << tr("Unknown command '%1'. Run 'apolo-deploy --help' for the list of commands.").arg(name) << Qt::endl;
        return 2;
    }
    CliContext context(invocation.commandArguments, invocation.global);
    bool loopRunning = false;
    context.setFinishedHandler([&loopRunning](int code) {
        if (loopRunning)
            QCoreApplication::exit(code);
    });
    spec->run(context);
    if (context.exitCode())
        return *context.exitCode();
    loopRunning = true;
    const int code = QCoreApplication::exec();
    return context.exitCode().value_or(code);
}

} // namespace ApoloDeploy::CliApp
