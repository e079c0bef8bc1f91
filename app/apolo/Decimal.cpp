// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/Decimal.h"

#include <limits>

namespace ApoloDeploy {

namespace {

// 128-bit intermediates keep price * seconds exact; __extension__ silences -Wpedantic.
__extension__ typedef __int128 Int128;

// Division of a 128-bit value rounded half away from zero.
qint64 roundedDivide(Int128 numerator, Int128 denominator)
{
    if (denominator < 0) {
        numerator = -numerator;
        denominator = -denominator;
    }
    const bool negative = numerator < 0;
    const Int128 magnitude = negative ? -numerator : numerator;
    const Int128 quotient = (magnitude + denominator / 2) / denominator;
    return qint64(negative ? -quotient : quotient);
}

} // namespace

std::optional<Decimal> Decimal::parse(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool negative = false;
    if (text.front() == u'-' || text.front() == u'+') {
        negative = text.front() == u'-';
        text = text.mid(1);
    }
    Int128 whole = 0;
    Int128 fraction = 0;
    int fractionLength = 0;
    bool seenDot = false;
    bool seenDigit = false;
    bool roundUp = false;
    for (const QChar c : text) {
        if (c == u'.') {
            if (seenDot)
                return std::nullopt;
            seenDot = true;
            continue;
        }
        if (!c.isDigit() || c.unicode() > u'9')
            return std::nullopt;
        seenDigit = true;
        const int digit = c.unicode() - u'0';
        if (!seenDot) {
            whole = whole * 10 + digit;
            if (whole > std::numeric_limits<qint64>::max() / scale)
                return std::nullopt;
        } else if (fractionLength < fractionDigits) {
            fraction = fraction * 10 + digit;
            ++fractionLength;
        } else if (fractionLength == fractionDigits) {
            roundUp = digit >= 5; // only the first extra digit decides (half away from zero)
            ++fractionLength;
        }
    }
    if (!seenDigit)
        return std::nullopt;
    for (int i = std::min(fractionLength, int(fractionDigits)); i < fractionDigits; ++i)
        fraction *= 10;
    Int128 units = whole * scale + fraction + (roundUp ? 1 : 0);
    return Decimal(qint64(negative ? -units : units));
}

Decimal Decimal::operator*(Decimal other) const
{
    return Decimal(roundedDivide(Int128(m_units) * other.m_units, scale));
}

Decimal Decimal::scaled(qint64 numerator, qint64 denominator) const
{
    if (denominator == 0)
        return Decimal();
    return Decimal(roundedDivide(Int128(m_units) * numerator, denominator));
}

QString Decimal::toString() const
{
    QString text = toString(fractionDigits);
    while (text.endsWith(u'0'))
        text.chop(1);
    if (text.endsWith(u'.'))
        text.chop(1);
    return text == QLatin1String("-0") ? QStringLiteral("0") : text;
}

QString Decimal::toString(int decimals) const
{
    decimals = std::clamp(decimals, 0, int(fractionDigits));
    qint64 divisor = 1;
    for (int i = decimals; i < fractionDigits; ++i)
        divisor *= 10;
    const qint64 rounded = roundedDivide(m_units, divisor);
    const bool negative = rounded < 0;
    const quint64 magnitude = negative ? quint64(-(rounded + 1)) + 1 : quint64(rounded);
    quint64 power = 1;
    for (int i = 0; i < decimals; ++i)
        power *= 10;
    QString text = QString::number(magnitude / power);
    if (decimals > 0)
        text += QLatin1Char('.') + QString::number(magnitude % power).rightJustified(decimals, u'0');
    return negative ? QLatin1Char('-') + text : text;
}

} // namespace ApoloDeploy
