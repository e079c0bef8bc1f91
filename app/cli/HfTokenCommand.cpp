// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-deploy hf-token [--remove]: keep the Hugging Face token (for gated models' configs) in the
// system keychain, read from standard input so it never appears in argv or shell history.
#include "cli/CliContext.h"
#include "core/SecretStore.h"
#include "planner/HubClient.h"

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

} // namespace

void runHfTokenCommand(CliContext &context)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Store the Hugging Face token read from standard input in the system keychain (used by `plan` and the "
           "planner to read gated models' configs; HF_TOKEN, when set, takes precedence)."));
    const QCommandLineOption remove(QStringLiteral("remove"), tr("remove the stored token"));
    parser.addOption(remove);
    if (!context.parse(parser))
        return;
    CliContext *ctx = &context;
    if (parser.isSet(remove)) {
        SecretStore::instance().remove(Planner::HubClient::keychainKey(), nullptr, [ctx](const SecretResult &result) {
            if (!result.ok) {
                ctx->err() << tr("Could not remove the Hugging Face token: %1").arg(result.error) << Qt::endl;
                return ctx->finish(1);
            }
            ctx->out() << tr("Hugging Face token removed from the keychain.") << Qt::endl;
            ctx->finish(0);
        });
        return;
    }
    QFile input;
    if (!input.open(stdin, QIODevice::ReadOnly))
        return context.usageError(tr("Cannot read standard input."));
    const QByteArray token = input.readAll().trimmed();
    if (token.isEmpty() || token.contains('\n') || token.contains(' '))
        return context.usageError(tr("Standard input must hold exactly one token (hf_…)."));
    SecretStore::instance().write(Planner::HubClient::keychainKey(), token, nullptr, [ctx](const SecretResult &result) {
        if (!result.ok) {
            ctx->err() << tr("Could not store the Hugging Face token: %1").arg(result.error) << Qt::endl;
            return ctx->finish(1);
        }
        ctx->out() << tr("Hugging Face token stored in the keychain.") << Qt::endl;
        ctx->finish(0);
    });
}

} // namespace ApoloDeploy
