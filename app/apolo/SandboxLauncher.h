// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QUrl>

class QProcess;

namespace ApoloDeploy {

// Starts the embedded apolo-sandbox as a child process and tells when it is ready.
//
// Contract with app/sandbox: `apolo-sandbox --port 0 [--speed X] [--state FILE] [--faults SPEC]`
// with the token in the environment variable APOLO_SANDBOX_TOKEN (never argv), prints exactly one
// stdout line "apolo-sandbox ready <api-url>" when it listens. The executable is
// $ADC_SANDBOX_BIN, else "apolo-sandbox" next to the running executable. Never blocks: ready()
// or failed() come from the event loop. stop() (and the destructor) terminate the child.
class SandboxLauncher final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString program;  // empty = default lookup
        double speed = 0; // 0 = sandbox default
        QString stateFile;
        QString faults;
        QStringList extraArguments;
        int startTimeoutMs = 15000;
    };

    explicit SandboxLauncher(QObject *parent = nullptr);
    ~SandboxLauncher() override;

    static QString defaultProgram();

    void start(); // default options
    void start(const Options &options);
    void stop();
    bool isReady() const { return m_ready; }
    QUrl apiUrl() const { return m_apiUrl; }
    // The random token the sandbox accepts (generated per start).
    QString token() const { return m_token; }

Q_SIGNALS:
    void ready(const QUrl &apiUrl);
    void failed(const QString &message);
    // The sandbox ended after having been ready (crash or killed from outside).
    void stopped(const QString &message);

private:
    void onReadyRead();
    void fail(const QString &message);

    QPointer<QProcess> m_process;
    QTimer m_startTimer;
    QByteArray m_stdoutBuffer;
    QString m_stderrTail;
    QString m_token;
    QUrl m_apiUrl;
    bool m_ready = false;
    bool m_stopping = false;
};

} // namespace ApoloDeploy
