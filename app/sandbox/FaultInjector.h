// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace ApoloDeploy::Sandbox {

// Faults the sandbox injects so clients can be tested against a misbehaving platform.
// Spec: comma-separated key=value, e.g. "drop-logs=4096,http5xx=0.2,latency=200".
struct FaultSettings
{
    qint64 dropLogsEveryBytes = 0;       // drop-logs: cut each log stream after this many bytes
    double http5xxRate = 0;              // http5xx: share of API calls answered 503 (0..1)
    int latencyMs = 0;                   // latency: added before every API answer
    int tokenExpirySeconds = 0;          // token-expiry: expires_in of OAuth-issued tokens (0 = default)
    int slowSseDelayMs = 0;              // slow-sse: pause between chunks proxied from a job's HTTP port
    qint64 malformedChunkAfterBytes = 0; // malformed-chunk: corrupt a proxied stream after N bytes
    QString oomKillJobName;              // oom-kill=NAME: that job is OOM-killed shortly after it runs
    double oomKillAfterSeconds = 0;      // oom-kill=SECONDS: every job is OOM-killed after running that long

    static bool parse(const QString &spec, FaultSettings *settings, QString *error);
    QString toSpec() const;
};

// Runtime holder of the current faults (the control endpoint replaces them).
class FaultInjector
{
public:
    const FaultSettings &settings() const { return m_settings; }
    QString spec() const { return m_settings.toSpec(); }
    bool setSpec(const QString &spec, QString *error);
    // Rolls the dice for one API call.
    bool shouldFailApiCall() const;

private:
    FaultSettings m_settings;
};

} // namespace ApoloDeploy::Sandbox
