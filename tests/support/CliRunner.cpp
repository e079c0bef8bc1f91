// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/CliRunner.h"

#include <QJsonDocument>
#include <QProcess>
#include <QTest>

namespace ApoloDeploy::Test {

QJsonObject CliRun::json() const
{
    return QJsonDocument::fromJson(out).object();
}

QString cliPath()
{
    return QStringLiteral(ADC_BIN_DIR "/apolo-deploy");
}

CliRun runCli(const QStringList &arguments, const QProcessEnvironment &environment, const QByteArray &input,
              int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(cliPath(), arguments);
    CliRun run;
    if (!QTest::qWaitFor([&process] { return process.state() != QProcess::Starting; }, 10000) ||
        process.error() == QProcess::FailedToStart) {
        run.err = "apolo-deploy did not start: " + process.errorString().toUtf8();
        return run;
    }
    if (process.state() == QProcess::Running) {
        if (!input.isEmpty())
            process.write(input);
        process.closeWriteChannel();
    }
    if (!QTest::qWaitFor([&process] { return process.state() == QProcess::NotRunning; }, timeoutMs)) {
        process.kill();
        process.waitForFinished(2000); // the process is killed; this only reaps it
        run.out = process.readAllStandardOutput();
        run.err = "apolo-deploy " + arguments.join(u' ').toUtf8() + " did not finish within " +
                  QByteArray::number(timeoutMs / 1000) + " s\n" + process.readAllStandardError();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace ApoloDeploy::Test
