// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QStringList>

namespace ApoloDeploy::Test {

// The result of running the real apolo-deploy binary (build/bin/apolo-deploy) to its end.
struct CliRun
{
    int exitCode = -1; // -1: it crashed, did not start or timed out (see err)
    QByteArray out;
    QByteArray err;
    QJsonObject json() const; // stdout as a JSON object (--json commands)
};

QString cliPath();

// Runs apolo-deploy with arguments and the environment, writes input to its stdin and closes it,
// and waits for it by processing events (so an in-process sandbox or server keeps answering).
// Killed after timeoutMs.
CliRun runCli(const QStringList &arguments,
              const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
              const QByteArray &input = {}, int timeoutMs = 60000);

} // namespace ApoloDeploy::Test
