// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/PrometheusText.h"

#include <cmath>
#include <limits>

namespace ApoloDeploy {

namespace {

bool isNameStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_') || c == QLatin1Char(':');
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || c.isDigit();
}

bool parseValue(QStringView text, double *value)
{
    if (text == QLatin1String("+Inf") || text == QLatin1String("Inf")) {
        *value = std::numeric_limits<double>::infinity();
        return true;
    }
    if (text == QLatin1String("-Inf")) {
        *value = -std::numeric_limits<double>::infinity();
        return true;
    }
    if (text == QLatin1String("NaN")) {
        *value = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    bool ok = false;
    *value = text.toDouble(&ok);
    return ok;
}

// Parses `{a="x",b="y"}` starting at text[pos] == '{'; leaves pos after '}'.
bool parseLabels(QStringView text, qsizetype &pos, QList<QPair<QString, QString>> &labels)
{
    ++pos;
    while (pos < text.size()) {
        while (pos < text.size() && (text[pos] == QLatin1Char(' ') || text[pos] == QLatin1Char(',')))
            ++pos;
        if (pos < text.size() && text[pos] == QLatin1Char('}')) {
            ++pos;
            return true;
        }
        const qsizetype nameStart = pos;
        while (pos < text.size() && isNameChar(text[pos]))
            ++pos;
        if (pos == nameStart || pos + 1 >= text.size() || text[pos] != QLatin1Char('=') ||
            text[pos + 1] != QLatin1Char('"'))
            return false;
        const QString name = text.sliced(nameStart, pos - nameStart).toString();
        pos += 2;
        QString value;
        bool closed = false;
        while (pos < text.size()) {
            const QChar c = text[pos++];
            if (c == QLatin1Char('"')) {
                closed = true;
                break;
            }
            if (c == QLatin1Char('\\') && pos < text.size()) {
                const QChar escaped = text[pos++];
                value += escaped == QLatin1Char('n') ? QChar(QLatin1Char('\n')) : escaped;
                continue;
            }
            value += c;
        }
        if (!closed)
            return false;
        labels.append({name, value});
    }
    return false;
}

bool parseSample(QStringView line, PrometheusSample &sample)
{
    qsizetype pos = 0;
    if (line.isEmpty() || !isNameStart(line[0]))
        return false;
    while (pos < line.size() && isNameChar(line[pos]))
        ++pos;
    sample.name = line.first(pos).toString();
    if (pos < line.size() && line[pos] == QLatin1Char('{') && !parseLabels(line, pos, sample.labels))
        return false;
    const QStringView rest = line.sliced(pos).trimmed();
    // "value [timestamp]" and possibly an OpenMetrics exemplar after '#'.
    const qsizetype end = rest.indexOf(QLatin1Char(' '));
    return parseValue(end < 0 ? rest : rest.first(end), &sample.value);
}

} // namespace

QString PrometheusSample::label(const QString &key) const
{
    for (const auto &[name, value] : labels) {
        if (name == key)
            return value;
    }
    return {};
}

PrometheusScrape parsePrometheusText(QByteArrayView text)
{
    PrometheusScrape scrape;
    const QString decoded = QString::fromUtf8(text);
    const QList<QStringView> lines = QStringView(decoded).split(QLatin1Char('\n'));
    for (QStringView line : lines) {
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        if (line.startsWith(QLatin1Char('#'))) {
            const QList<QStringView> words = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (words.size() >= 4 && words[1] == QLatin1String("TYPE"))
                scrape.types.insert(words[2].toString(), words[3].toString());
            continue;
        }
        PrometheusSample sample;
        if (parseSample(line, sample))
            scrape.samples.append(std::move(sample));
        else
            ++scrape.skippedLines;
    }
    return scrape;
}

} // namespace ApoloDeploy
