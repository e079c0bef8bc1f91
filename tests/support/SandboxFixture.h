// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace ApoloDeploy::Test {

// Runs one apolo-sandbox process (ADC_SANDBOX_BIN, set by adc_add_test(... SANDBOX)) for the
// lifetime of the object: `--port 0 --speed <speed>` plus optional faults and state file.
// The identity it serves is fixed (see the constants below); the token is random per fixture.
//
//   SandboxFixture sandbox;
//   QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
//   client.setApiUrl(sandbox.apiUrl()); client.setToken(sandbox.token());
//
// Everything waits by processing events (never blocks the event loop), at most ~15 s.
class SandboxFixture
{
public:
    struct Options
    {
        double speed = 100; // simulated seconds per real second
        QString faults;     // --faults spec, e.g. "drop-logs=4096,latency=50"
        QString statePath;  // --state FILE (jobs, secrets and balance survive a restart)
        QStringList extraArguments;
    };

    // What the sandbox serves (fixed so tests can assert on it).
    static constexpr const char *clusterName = "default";
    static constexpr const char *orgName = "acme";
    static constexpr const char *projectName = "research";
    static constexpr const char *otherProjectName = "staging"; // a second project of the same org
    static constexpr const char *userName = "alice";
    static constexpr const char *jobsNamespace = "platform-jobs";

    SandboxFixture();
    explicit SandboxFixture(const Options &options);
    ~SandboxFixture(); // kills the process

    // Starts the process and waits for "apolo-sandbox ready <url>". False + errorString() on failure.
    bool start();
    // Stops (SIGTERM, then kill) and starts again with the same token, port 0 (a new port!).
    bool restart();
    void stop();
    bool isRunning() const;
    QString errorString() const { return m_error; }

    QUrl apiUrl() const { return m_apiUrl; } // http://127.0.0.1:<port>/api/v1
    QString apiUrlString() const { return m_apiUrl.toString(); }
    QUrl baseUrl() const;                                 // http://127.0.0.1:<port>
    QUrl url(const QString &pathBelowApi) const;          // apiUrl() + "/" + path (may contain "?query")
    QByteArray token() const { return m_token; }          // a JWT naming userName
    QByteArray processOutput() const { return m_output; } // stdout+stderr so far (for failures)

    // Runtime control (POST /_sandbox/control); each returns true on 200.
    bool setBalance(const QString &credits); // decimal string; empty = unlimited (null)
    bool setJobsQuota(int maxRunningJobs);   // < 0 = unlimited
    bool setFaults(const QString &spec);     // replaces all faults; "" clears them
    bool setSpeed(double simulatedSecondsPerSecond);
    bool setTokenExpirySeconds(int seconds); // expires_in of tokens issued by the OAuth endpoints
    bool control(const QJsonObject &changes);
    QJsonObject controlState(); // GET /_sandbox/control

    // A tiny synchronous-looking client for tests (events keep flowing while it waits).
    struct Reply
    {
        int status = 0; // 0 = no HTTP answer (network error)
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray header(const QByteArray &name) const;
        QJsonObject json() const;
    };
    // path is relative to apiUrl() unless it starts with "http". The fixture's token is sent
    // unless withToken is false. Redirects are not followed.
    Reply send(const QByteArray &method, const QString &path, const QByteArray &body = {},
               const QList<QPair<QByteArray, QByteArray>> &headers = {}, bool withToken = true);
    Reply get(const QString &path) { return send("GET", path); }
    Reply postJson(const QString &path, const QJsonObject &json);
    // POST /jobs?from_preset with a minimal busybox payload merged with `fields`; returns the reply.
    Reply createJob(const QJsonObject &fields = {});
    // Polls GET /jobs/{id} until status == wanted (or finished), max timeoutMs. Returns the last job JSON.
    QJsonObject waitForStatus(const QString &jobId, const QString &wanted, int timeoutMs = 10000);

private:
    bool launch();

    Options m_options;
    QProcess *m_process = nullptr;
    QByteArray m_token;
    QByteArray m_output;
    QUrl m_apiUrl;
    QString m_error;
};

} // namespace ApoloDeploy::Test
