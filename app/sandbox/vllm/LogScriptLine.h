// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace ApoloDeploy::Sandbox {

// One line of simulated container output, scheduled at a simulated time. vLLM lines keep their
// parts apart so the header's timestamp is the wall clock at the moment the line is printed.
struct LogScriptLine
{
    double atSeconds = 0;        // simulated seconds since the script began
    QString prefix;              // Ray/multiprocessing prefix, e.g. "(RayWorkerWrapper pid=626, ip=10.244.1.7) "
    QString level;               // INFO, WARNING, ERROR; empty for raw lines
    QString source;              // "api_server.py:840"
    QString message;             // for raw lines: the whole text
    bool carriageReturn = false; // tqdm redraw: ends with \r instead of \n
    bool rayStyle = false;       // Ray's logger: "2025-02-16 19:30:35,123\tINFO worker.py:1654 -- msg"

    static LogScriptLine vllm(double at, const QString &level, const QString &source, const QString &message,
                              const QString &prefix = {});
    static LogScriptLine raw(double at, const QString &text, const QString &prefix = {});
    static LogScriptLine ray(double at, const QString &level, const QString &source, const QString &message);

    // vLLM 0.7.x prints "INFO 02-16 19:30:27 api_server.py:840] msg"; 0.8 and later bracket the source.
    QString render(const QDateTime &whenUtc, bool bracketedSource = false) const;
};

using LogScript = QList<LogScriptLine>;

// Several lines at once, e.g. a traceback, all at the same simulated time.
void appendRawBlock(LogScript &script, double at, const QString &text, const QString &prefix = {});

} // namespace ApoloDeploy::Sandbox
