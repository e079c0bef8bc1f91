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

// The vLLM and uvicorn headers start nearly every line; they are matched by hand (the regexes
// they replace are quoted) because a regex per line was the classifier's largest cost.
bool isAsciiDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

bool isWordChar(QChar c) // \w without Unicode properties
{
    return isAsciiDigit(c) || (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
           (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || c == QLatin1Char('_');
}

// Reads a header left to right; every step returns false (and may leave pos anywhere) on a mismatch.
struct HeaderCursor
{
    QStringView text;
    qsizetype pos = 0;

    bool atEnd() const { return pos >= text.size(); }
    bool character(char c)
    {
        if (atEnd() || text[pos] != QLatin1Char(c))
            return false;
        ++pos;
        return true;
    }
    bool optionalCharacter(char c) { return character(c) || true; }
    // \d{count}, or \d+ when count is 0.
    bool digits(int count = 0)
    {
        const qsizetype start = pos;
        while (!atEnd() && isAsciiDigit(text[pos]) && (count == 0 || pos - start < count))
            ++pos;
        return count == 0 ? pos > start : pos - start == count;
    }
    // One of words (longest first where one is a prefix of another).
    QStringView word(std::initializer_list<QLatin1StringView> words)
    {
        for (const QLatin1StringView w : words) {
            if (text.sliced(pos).startsWith(w)) {
                pos += w.size();
                return text.sliced(pos - w.size(), w.size());
            }
        }
        return {};
    }
};

// ^(DEBUG|INFO|WARNING|ERROR|CRITICAL) \d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \[?([\w./-]+\.py):\d+\] ?
bool parseVllmHeader(QStringView text, LogHeader *header)
{
    HeaderCursor c{text};
    const QStringView level =
        c.word({QLatin1StringView("DEBUG"), QLatin1StringView("INFO"), QLatin1StringView("WARNING"),
                QLatin1StringView("ERROR"), QLatin1StringView("CRITICAL")});
    if (level.isEmpty() || !c.character(' ') || !c.digits(2) || !c.character('-') || !c.digits(2) ||
        !c.character(' ') || !c.digits(2) || !c.character(':') || !c.digits(2) || !c.character(':') || !c.digits(2))
        return false;
    if (c.character('.') && !c.digits())
        return false;
    if (!c.character(' '))
        return false;
    c.optionalCharacter('[');
    const qsizetype fileStart = c.pos;
    while (!c.atEnd() && (isWordChar(text[c.pos]) || text[c.pos] == QLatin1Char('.') ||
                          text[c.pos] == QLatin1Char('/') || text[c.pos] == QLatin1Char('-')))
        ++c.pos;
    // The run of file characters stops at ':', so the file is all of it or the header does not match.
    const QStringView file = text.sliced(fileStart, c.pos - fileStart);
    if (file.size() < 4 || !file.endsWith(QLatin1StringView(".py")) || !c.character(':') || !c.digits() ||
        !c.character(']'))
        return false;
    c.optionalCharacter(' ');
    header->format = LogHeader::Format::Vllm;
    header->level = levelFromWord(level);
    header->file = file;
    header->message = text.sliced(c.pos);
    return true;
}

// ^(DEBUG|INFO|WARNING|ERROR|CRITICAL|TRACE):\s+
bool parseUvicornHeader(QStringView text, LogHeader *header)
{
    HeaderCursor c{text};
    const QStringView level =
        c.word({QLatin1StringView("DEBUG"), QLatin1StringView("INFO"), QLatin1StringView("WARNING"),
                QLatin1StringView("ERROR"), QLatin1StringView("CRITICAL"), QLatin1StringView("TRACE")});
    if (level.isEmpty() || !c.character(':'))
        return false;
    const qsizetype spaceStart = c.pos;
    while (!c.atEnd() &&
           (text[c.pos] == QLatin1Char(' ') || (text[c.pos] >= QLatin1Char('\t') && text[c.pos] <= QLatin1Char('\r'))))
        ++c.pos;
    if (c.pos == spaceStart)
        return false;
    header->format = LogHeader::Format::Uvicorn;
    header->level = levelFromWord(level);
    header->message = text.sliced(c.pos);
    return true;
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
        if (parseVllmHeader(text, &header) || parseUvicornHeader(text, &header))
            return header;
        const auto match = rayHeader().match(text);
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
