// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logs/LogLine.h"

#include <QStringView>

namespace ApoloDeploy::Logs {

// The header a line starts with, if any, and the message after it (vllm.md §4.1 items 5-7).
struct LogHeader
{
    enum class Format : quint8 {
        None,          // no recognised header: the message is the whole line
        Vllm,          // "INFO 02-05 10:00:00 file.py:123] msg" (0.7.x) or "... [file.py:123] msg" (>= 0.8)
        Uvicorn,       // "INFO:     msg"
        Ray,           // "2024-12-12 05:27:54,657 SUCC scripts.py:860 -- msg" (timestamp optional)
        PythonWarning, // "/path/x.py:12: UserWarning: msg"
        Nccl,          // "host:pid:tid [rank] NCCL INFO msg"
        Plain,         // "Error: msg" / "Warning: msg" (Ray autoscaler)
    };
    Format format = Format::None;
    LogLevel level = LogLevel::Unknown;
    QStringView file;    // "worker.py" (Vllm, Ray), empty otherwise
    QStringView message; // the part the phase and failure patterns match on
};

// Pure and allocation-free: message and file point into the given text.
LogHeader parseLogHeader(QStringView text);

} // namespace ApoloDeploy::Logs
