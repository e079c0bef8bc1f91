// SPDX-License-Identifier: GPL-3.0-or-later
// apolo-sandbox: the Apolo platform, its monitoring service and vLLM, emulated on loopback.
#include "sandbox/SandboxServer.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(signalPipe[1], &byte, 1);
}

// SIGINT/SIGTERM end the event loop from the loop itself (a signal handler may only write).
void installStopSignals(QCoreApplication &app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [&app] { app.quit(); });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("apolo-sandbox"));
    ApoloDeploy::Sandbox::SandboxConfig config;
    QString error;
    if (!config.parse(app.arguments(), &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return app.arguments().contains(QStringLiteral("--help")) ? 0 : 2;
    }
    installStopSignals(app);
    ApoloDeploy::Sandbox::SandboxServer server(config);
    if (!server.listen()) {
        std::fprintf(stderr, "apolo-sandbox: cannot listen on 127.0.0.1:%u: %s\n", unsigned(config.port),
                     qPrintable(server.errorString()));
        return 1;
    }
    std::printf("apolo-sandbox ready %s\n", qPrintable(server.apiUrl()));
    std::fflush(stdout);
    return app.exec();
}
