// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/LineNormalizer.h"

#include <QDate>

namespace ApoloDeploy::Logs {

namespace {

constexpr qint64 nsPerSecond = 1'000'000'000;
constexpr qint64 unixEpochJulianDay = 2440588;
// A process prefix is short; anything longer is program text that happens to start with '('.
constexpr qsizetype maxPrefixLength = 120;

int digitsAt(QStringView text, qsizetype pos, qsizetype count)
{
    int value = 0;
    for (qsizetype i = pos; i < pos + count; ++i) {
        const QChar c = text[i];
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return -1;
        value = value * 10 + (c.unicode() - '0');
    }
    return value;
}

// Length of a "YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z" at the start of text, 0 if none.
qsizetype timestampLength(QStringView text)
{
    if (text.size() < 20 || text[4] != QLatin1Char('-') || text[7] != QLatin1Char('-') ||
        text[10] != QLatin1Char('T') || text[13] != QLatin1Char(':') || text[16] != QLatin1Char(':'))
        return 0;
    qsizetype pos = 19;
    if (text[pos] == QLatin1Char('.')) {
        ++pos;
        const qsizetype digitsStart = pos;
        while (pos < text.size() && pos - digitsStart < 9 && text[pos].isDigit())
            ++pos;
        if (pos == digitsStart)
            return 0;
    }
    if (pos >= text.size() || text[pos] != QLatin1Char('Z'))
        return 0;
    return pos + 1;
}

// Reads a process prefix by hand (it starts a fifth of a Ray cluster's lines):
//   \((?:[A-Za-z_]\w*(?: rank=\d+)? pid=\d+(?:, ip=[\d.:a-fA-F]+)?|pid=\d+(?:, ip=…)?|autoscaler \+\d+[smh])\)\s*
// "(RayWorkerWrapper pid=249, ip=172.20.249.91)", "(VllmWorker rank=0 pid=241)", "(pid=657)",
// "(autoscaler +6s)". Returns the length consumed (trailing spaces included), 0 if none.
struct PrefixCursor
{
    QStringView text;
    qsizetype pos = 0;

    bool literal(QLatin1StringView word)
    {
        if (!text.sliced(pos).startsWith(word))
            return false;
        pos += word.size();
        return true;
    }
    template <typename Accept> qsizetype run(Accept accept)
    {
        const qsizetype start = pos;
        while (pos < text.size() && accept(text[pos].unicode()))
            ++pos;
        return pos - start;
    }
    bool digits()
    {
        return run([](char16_t c) { return c >= u'0' && c <= u'9'; }) > 0;
    }
    bool pidAndIp()
    {
        if (!literal(QLatin1StringView("pid=")) || !digits())
            return false;
        if (literal(QLatin1StringView(", ip="))) {
            return run([](char16_t c) {
                       return (c >= u'0' && c <= u'9') || c == u'.' || c == u':' || (c >= u'a' && c <= u'f') ||
                              (c >= u'A' && c <= u'F');
                   }) > 0;
        }
        return true;
    }
};

bool isIdentifierStart(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

qsizetype processPrefixLength(QStringView text)
{
    PrefixCursor c{text};
    if (!c.literal(QLatin1StringView("(")))
        return 0;
    bool ok = false;
    if (c.literal(QLatin1StringView("autoscaler +"))) {
        ok = c.digits() && c.run([](char16_t ch) { return ch == u's' || ch == u'm' || ch == u'h'; }) == 1;
    } else if (c.text.sliced(c.pos).startsWith(QLatin1StringView("pid="))) {
        ok = c.pidAndIp();
    } else if (c.pos < text.size() && isIdentifierStart(text[c.pos].unicode())) {
        c.run([](char16_t ch) { return isIdentifierStart(ch) || (ch >= u'0' && ch <= u'9'); });
        if (c.literal(QLatin1StringView(" rank=")) && !c.digits())
            return 0;
        ok = c.literal(QLatin1StringView(" ")) && c.pidAndIp();
    }
    if (!ok || !c.literal(QLatin1StringView(")")))
        return 0;
    c.run([](char16_t ch) { return ch == u' ' || (ch >= u'\t' && ch <= u'\r'); });
    return c.pos;
}

QStringView trimRight(QStringView text)
{
    qsizetype end = text.size();
    while (end > 0 && text[end - 1].isSpace())
        --end;
    return text.first(end);
}

} // namespace

qsizetype LineNormalizer::platformTimestampPrefixLength(QStringView raw)
{
    const qsizetype length = timestampLength(raw);
    if (length == 0)
        return 0;
    return length < raw.size() && raw[length] == QLatin1Char(' ') ? length + 1 : (length == raw.size() ? length : 0);
}

qint64 LineNormalizer::parsePlatformTimestamp(QStringView text)
{
    const qsizetype length = timestampLength(text);
    if (length == 0)
        return 0;
    const int year = digitsAt(text, 0, 4), month = digitsAt(text, 5, 2), day = digitsAt(text, 8, 2);
    const int hour = digitsAt(text, 11, 2), minute = digitsAt(text, 14, 2), second = digitsAt(text, 17, 2);
    const QDate date(year, month, day);
    if (!date.isValid() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
        return 0;
    qint64 fraction = 0;
    if (text[19] == QLatin1Char('.')) {
        const qsizetype digits = length - 21;
        fraction = digitsAt(text, 20, digits);
        for (qsizetype i = digits; i < 9; ++i)
            fraction *= 10;
    }
    const qint64 days = date.toJulianDay() - unixEpochJulianDay;
    return (days * 86400 + hour * 3600 + minute * 60 + second) * nsPerSecond + fraction;
}

QString LineNormalizer::formatPlatformTimestamp(qint64 timestampNs)
{
    const qint64 seconds = timestampNs / nsPerSecond;
    const qint64 fraction = timestampNs % nsPerSecond;
    const QDate date = QDate::fromJulianDay(seconds / 86400 + unixEpochJulianDay);
    const qint64 secondOfDay = seconds % 86400;
    return QString::asprintf("%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", date.year(), date.month(), date.day(),
                             int(secondOfDay / 3600), int(secondOfDay / 60 % 60), int(secondOfDay % 60),
                             static_cast<long long>(fraction));
}

QString LineNormalizer::stripAnsi(QStringView text)
{
    QString out;
    out.reserve(text.size());
    qsizetype copied = 0; // text before this index is in out or dropped
    for (qsizetype i = text.indexOf(QChar(0x1B)); i >= 0; i = text.indexOf(QChar(0x1B), copied)) {
        out.append(text.sliced(copied, i - copied));
        // CSI "ESC [ params letter"; any other escape drops ESC and the character after it.
        if (i + 1 < text.size() && text[i + 1] == QLatin1Char('[')) {
            qsizetype j = i + 2;
            while (j < text.size() && (text[j].isDigit() || text[j] == QLatin1Char(';') || text[j] == QLatin1Char('?')))
                ++j;
            copied = qMin(j + 1, text.size());
        } else {
            copied = qMin(i + 2, text.size());
        }
    }
    out.append(text.sliced(copied));
    return out;
}

QString LineNormalizer::intern(const QString &source)
{
    if (source.isEmpty())
        return {};
    const auto it = m_sources.constFind(source);
    if (it != m_sources.constEnd())
        return *it;
    // Ray pids are reused rarely; the cap only guards against a stream of unique prefixes.
    if (m_sources.size() > 4096)
        m_sources.clear();
    m_sources.insert(source, source);
    return source;
}

NormalizedLine LineNormalizer::normalize(QStringView raw)
{
    NormalizedLine line;
    const qsizetype stampLength = platformTimestampPrefixLength(raw);
    if (stampLength > 0) {
        line.timestampNs = parsePlatformTimestamp(raw);
        raw = raw.sliced(stampLength);
    }
    QString withoutAnsi;
    if (raw.contains(QChar(0x1B))) {
        withoutAnsi = stripAnsi(raw);
        raw = withoutAnsi;
    }

    QString source;
    const auto takePrefixes = [&source](QStringView text) {
        while (text.startsWith(QLatin1Char('('))) {
            const qsizetype length = processPrefixLength(text.first(qMin(text.size(), maxPrefixLength)));
            if (length == 0)
                break;
            const QStringView label = trimRight(text.first(length)).sliced(1).chopped(1);
            source += (source.isEmpty() ? QString() : QStringLiteral(" / ")) + label.toString();
            text = text.sliced(length);
        }
        return text;
    };
    QStringView rest = takePrefixes(raw);

    if (rest.contains(QLatin1Char('\r'))) {
        QStringView last;
        qsizetype end = rest.size();
        while (end > 0) {
            const qsizetype start = rest.lastIndexOf(QLatin1Char('\r'), end - 1) + 1;
            const QStringView segment = rest.sliced(start, end - start);
            if (!trimRight(segment).isEmpty()) {
                last = segment;
                break;
            }
            end = start - 1;
        }
        rest = takePrefixes(last);
    }

    rest = trimRight(rest);
    // "… [repeated 12x across cluster]", on Ray's first dedup line followed by a note. Walking
    // back over the few '[' is much cheaper than a substring search on every line.
    qsizetype repeated = rest.size() - 1;
    while (repeated >= 0 &&
           (rest[repeated] != QLatin1Char('[') || !rest.sliced(repeated).startsWith(QLatin1String("[repeated "))))
        --repeated;
    if (repeated >= 0) {
        const QStringView tail = rest.sliced(repeated + 10);
        const qsizetype x = tail.indexOf(QLatin1String("x across cluster]"));
        bool ok = false;
        const uint count = x > 0 ? tail.first(x).toUInt(&ok) : 0;
        if (ok && count > 0) {
            line.repeat = count;
            rest = trimRight(rest.first(repeated));
        }
    }
    line.source = intern(source);
    line.text = rest.toString();
    return line;
}

} // namespace ApoloDeploy::Logs
