// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/LogHeaderParser.h"

#include <QRegularExpression>

namespace ApoloDeploy::Logs {

namespace {

LogLevel levelFromWord(QStringView word)
{
    if (word == QLatin1String("INFO") || word == QLatin1String("SUCC"))
        return LogLevel::Info;
    if (word == QLatin1String("WARNING") || word == QLatin1String("WARN") || word == QLatin1String("Warning"))
        return LogLevel::Warning;
    if (word == QLatin1String("ERROR") || word == QLatin1String("ERR") || word == QLatin1String("Error"))
        return LogLevel::Error;
    if (word == QLatin1String("DEBUG") || word == QLatin1String("TRACE"))
        return LogLevel::Debug;
    if (word == QLatin1String("CRITICAL") || word == QLatin1String("FATAL"))
        return LogLevel::Critical;
    return LogLevel::Unknown;
}

const QRegularExpression &vllmHeader()
{
    static const QRegularExpression re(QStringLiteral(
        R"(^(DEBUG|INFO|WARNING|ERROR|CRITICAL) \d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \[?([\w./-]+\.py):\d+\] ?)"));
    return re;
}

const QRegularExpression &uvicornHeader()
{
    static const QRegularExpression re(QStringLiteral(R"(^(DEBUG|INFO|WARNING|ERROR|CRITICAL|TRACE):\s+)"));
    return re;
}

const QRegularExpression &rayHeader()
{
    static const QRegularExpression re(QStringLiteral(
        R"(^(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\s+)?(INFO|SUCC|WARN|WARNING|ERR|ERROR|DEBUG)\s+([\w./-]+\.py):\d+ -- )"));
    return re;
}

const QRegularExpression &pythonWarning()
{
    static const QRegularExpression re(QStringLiteral(R"(^\S+\.py:\d+: (?:\w+)?Warning: )"));
    return re;
}

const QRegularExpression &ncclHeader()
{
    static const QRegularExpression re(QStringLiteral(R"(^\S+:\d+:\d+ \[\d+\] NCCL (INFO|WARN|ERROR|TRACE) )"));
    return re;
}

bool startsWithUpperWord(QStringView text)
{
    return !text.isEmpty() && text[0] >= QLatin1Char('A') && text[0] <= QLatin1Char('Z');
}

} // namespace

LogHeader parseLogHeader(QStringView text)
{
    LogHeader header;
    header.message = text;
    if (text.isEmpty())
        return header;

    // Cheap dispatch on the first character keeps the regexes off most lines.
    const QChar first = text[0];
    if (startsWithUpperWord(text)) {
        auto match = vllmHeader().match(text);
        if (match.hasMatch()) {
            header.format = LogHeader::Format::Vllm;
            header.level = levelFromWord(match.capturedView(1));
            header.file = match.capturedView(2);
            header.message = text.sliced(match.capturedLength());
            return header;
        }
        match = uvicornHeader().match(text);
        if (match.hasMatch()) {
            header.format = LogHeader::Format::Uvicorn;
            header.level = levelFromWord(match.capturedView(1));
            header.message = text.sliced(match.capturedLength());
            return header;
        }
        match = rayHeader().match(text);
        if (match.hasMatch()) {
            header.format = LogHeader::Format::Ray;
            header.level = levelFromWord(match.capturedView(1));
            header.file = match.capturedView(2);
            header.message = text.sliced(match.capturedLength());
            return header;
        }
        for (const auto word : {QLatin1String("Error: "), QLatin1String("Warning: ")}) {
            if (text.startsWith(word)) {
                header.format = LogHeader::Format::Plain;
                header.level = levelFromWord(text.first(word.size() - 2));
                header.message = text.sliced(word.size());
                return header;
            }
        }
    } else if (first.isDigit()) {
        const auto match = rayHeader().match(text);
        if (match.hasMatch()) {
            header.format = LogHeader::Format::Ray;
            header.level = levelFromWord(match.capturedView(1));
            header.file = match.capturedView(2);
            header.message = text.sliced(match.capturedLength());
            return header;
        }
    }
    if (text.contains(QLatin1String(" NCCL "))) {
        const auto match = ncclHeader().match(text);
        if (match.hasMatch()) {
            header.format = LogHeader::Format::Nccl;
            header.level = levelFromWord(match.capturedView(1));
            // Keep "NCCL WARN …" in the message: the failure patterns look for it.
            header.message = text.sliced(match.capturedStart(1) - 5);
            return header;
        }
    }
    if (text.contains(QLatin1String("Warning: "))) {
        const auto match = pythonWarning().match(text);
        if (match.hasMatch()) {
            header.format = LogHeader::Format::PythonWarning;
            header.level = LogLevel::Warning;
            header.message = text.sliced(match.capturedLength());
        }
    }
    return header;
}

QString levelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Unknown: return QString();
    case LogLevel::Debug: return QStringLiteral("DEBUG");
    case LogLevel::Info: return QStringLiteral("INFO");
    case LogLevel::Warning: return QStringLiteral("WARNING");
    case LogLevel::Error: return QStringLiteral("ERROR");
    case LogLevel::Critical: return QStringLiteral("CRITICAL");
    }
    return QString();
}

} // namespace ApoloDeploy::Logs
