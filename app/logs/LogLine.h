// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>
#include <QString>

namespace ApoloDeploy::Logs {

// Severity as the line itself states it (vLLM, uvicorn or Ray header). Lines without a header
// are Unknown, except inside a Python traceback, which the classifier marks as Error.
enum class LogLevel : quint8 { Unknown, Debug, Info, Warning, Error, Critical };

QString levelName(LogLevel level);

// One displayable log line, after normalisation. Kept small: the view holds up to 100k of them.
struct LogLine
{
    qint64 number = 0;      // 1-based position in the job's stream since the job started
    qint64 timestampNs = 0; // platform timestamp (ns since the Unix epoch), 0 = none
    QString job;            // label of the job the line came from ("ray-head", "vllm"), shared
    QString source;         // Ray/vLLM process prefix ("RayWorkerWrapper pid=626, ip=10.0.0.2"), shared
    QString text;           // the line without ANSI colours, timestamp, process prefix and dedup suffix
    quint32 repeat = 1;     // Ray's "[repeated Nx across cluster]"
    LogLevel level = LogLevel::Unknown;
};

} // namespace ApoloDeploy::Logs

// Only QStrings and integers: moved with memcpy when a list grows (100k of them in the view).
Q_DECLARE_TYPEINFO(ApoloDeploy::Logs::LogLine, Q_RELOCATABLE_TYPE);
Q_DECLARE_METATYPE(ApoloDeploy::Logs::LogLine)
