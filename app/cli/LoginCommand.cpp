// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy login [--token-stdin | --browser | --from-apolo-cli] and apolo-deploy logout.
#include "apolo/SignInFlow.h"
#include "cli/CliContext.h"
#include "cli/PlatformCli.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <cstdio>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

void reportSignedIn(CliContext &context, PlatformSession &session)
{
    const ProjectScope &scope = session.scope();
    context.out() << tr("Signed in to %1 as %2.")
                         .arg(session.client()->apiUrl().toString(),
                              session.userName().isEmpty() ? tr("(unknown user)") : session.userName())
                  << Qt::endl
                  << tr("Cluster %1, org %2, project %3.").arg(scope.cluster, scope.org, scope.project) << Qt::endl;
    context.finish(0);
}

// Runs one SignInFlow (the same one the Sign In dialog uses) and reports its outcome.
SignInFlow &startFlow(CliContext &context, PlatformSession &session)
{
    auto *flow = new SignInFlow(&session, &session);
    CliContext *ctx = &context;
    QObject::connect(flow, &SignInFlow::note, flow,
                     [ctx](const QString &message) { ctx->err() << tr("note: %1").arg(message) << Qt::endl; });
    QObject::connect(flow, &SignInFlow::authorizationUrlReady, flow, [ctx](const QUrl &url) {
        ctx->out() << tr("Open this address in your browser to sign in (waiting 60 s):") << Qt::endl
                   << url.toString(QUrl::FullyEncoded) << Qt::endl;
    });
    QObject::connect(flow, &SignInFlow::finished, flow, [ctx, &session](const ApoloError &error) {
        if (error.isError())
            return PlatformCli::fail(*ctx, error);
        reportSignedIn(*ctx, session);
    });
    return *flow;
}

} // namespace

void runLoginCommand(CliContext &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Sign in to Apolo; the token is kept in the system keychain."));
    const QCommandLineOption tokenStdin(QStringLiteral("token-stdin"),
                                        tr("read a token from standard input (never pass it as an argument)"));
    const QCommandLineOption browser(QStringLiteral("browser"), tr("sign in in the web browser (default)"));
    const QCommandLineOption fromCli(QStringLiteral("from-apolo-cli"),
                                     tr("reuse the apolo CLI's login (~/.apolo/db, read only)"));
    parser.addOptions({tokenStdin, browser, fromCli});
    if (!context.parse(parser))
        return;
    const int modes = int(parser.isSet(tokenStdin)) + int(parser.isSet(browser)) + int(parser.isSet(fromCli));
    if (modes > 1)
        return context.usageError(tr("Choose one of --token-stdin, --browser and --from-apolo-cli."));
    if (context.global().sandbox) {
        context.out() << tr("The embedded sandbox signs in by itself; nothing to do.") << Qt::endl;
        return context.finish(0);
    }
    PlatformSession &session = PlatformCli::createSession(context);
    SignInFlow &flow = startFlow(context, session);
    if (parser.isSet(fromCli))
        return flow.fromApoloCli(context.global().apiUrl);
    if (parser.isSet(tokenStdin)) {
        QFile input;
        if (!input.open(stdin, QIODevice::ReadOnly))
            return context.usageError(tr("Cannot read standard input."));
        const QString token = QString::fromUtf8(input.readAll()).trimmed();
        if (token.isEmpty() || token.contains(u'\n'))
            return context.usageError(tr("Standard input must hold exactly one token."));
        return flow.withToken(context.global().apiUrl, token);
    }
    flow.withBrowser(context.global().apiUrl);
}

void runLogoutCommand(CliContext &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Sign out: remove the Apolo token from the system keychain."));
    if (!context.parse(parser))
        return;
    if (context.global().sandbox) {
        context.out() << tr("The embedded sandbox keeps no sign-in; nothing to do.") << Qt::endl;
        return context.finish(0);
    }
    PlatformSession &session = PlatformCli::createSession(context);
    CliContext *ctx = &context;
    if (context.global().apiUrl.isValid())
        session.client()->setApiUrl(context.global().apiUrl);
    session.signOut([ctx](const ApoloError &error) {
        if (error.isError())
            return PlatformCli::fail(*ctx, error);
        ctx->out() << tr("Signed out.") << Qt::endl;
        if (!qEnvironmentVariableIsEmpty("APOLO_DEPLOY_TOKEN"))
            ctx->out() << tr("Note: APOLO_DEPLOY_TOKEN is still set in this environment.") << Qt::endl;
        ctx->finish(0);
    });
}

} // namespace ApoloDeploy
