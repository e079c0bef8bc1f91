// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/CreditAmount.h"

#include <limits>

namespace ApoloDeploy::Planner {

namespace {

__extension__ using Int128 = __int128;

// Rounds numerator / denominator half away from zero.
Int128 roundedDivide(Int128 numerator, Int128 denominator)
{
    const bool negative = (numerator < 0) != (denominator < 0);
    const Int128 n = numerator < 0 ? -numerator : numerator;
    const Int128 d = denominator < 0 ? -denominator : denominator;
    const Int128 quotient = (n + d / 2) / d;
    return negative ? -quotient : quotient;
}

bool fits(Int128 value)
{
    return value >= std::numeric_limits<qint64>::min() && value <= std::numeric_limits<qint64>::max();
}

} // namespace

CreditAmount CreditAmount::fromUnits(qint64 units, bool valid)
{
    CreditAmount amount;
    amount.m_units = units;
    amount.m_valid = valid;
    return amount;
}

CreditAmount CreditAmount::fromInt(qint64 whole)
{
    const Int128 units = Int128(whole) * scale;
    return fits(units) ? fromUnits(qint64(units)) : fromUnits(0, false);
}

std::optional<CreditAmount> CreditAmount::parse(QStringView text)
{
    text = text.trimmed();
    bool negative = false;
    if (!text.isEmpty() && (text.front() == QLatin1Char('-') || text.front() == QLatin1Char('+'))) {
        negative = text.front() == QLatin1Char('-');
        text = text.mid(1);
    }
    Int128 units = 0;
    int fraction = -1; // digits seen after the point, -1 before it
    int digits = 0;
    bool roundUp = false;
    for (const QChar ch : text) {
        if (ch == QLatin1Char('.')) {
            if (fraction >= 0)
                return std::nullopt;
            fraction = 0;
            continue;
        }
        if (!ch.isDigit() || ch.unicode() > '9')
            return std::nullopt;
        ++digits;
        if (fraction >= fractionDigits) { // beyond 9 digits: only the first decides rounding
            if (fraction == fractionDigits)
                roundUp = ch.unicode() >= '5';
            ++fraction;
            continue;
        }
        units = units * 10 + (ch.unicode() - '0');
        if (fraction >= 0)
            ++fraction;
        if (units > Int128(std::numeric_limits<qint64>::max()))
            return std::nullopt;
    }
    if (digits == 0)
        return std::nullopt;
    for (int i = qMax(fraction, 0); i < fractionDigits; ++i)
        units *= 10;
    if (roundUp)
        units += 1;
    if (!fits(units))
        return std::nullopt;
    return fromUnits(qint64(negative ? -units : units));
}

CreditAmount CreditAmount::operator+(const CreditAmount &other) const
{
    const Int128 sum = Int128(m_units) + other.m_units;
    return fromUnits(fits(sum) ? qint64(sum) : 0, m_valid && other.m_valid && fits(sum));
}

CreditAmount CreditAmount::operator*(const CreditAmount &other) const
{
    const Int128 product = roundedDivide(Int128(m_units) * other.m_units, scale);
    return fromUnits(fits(product) ? qint64(product) : 0, m_valid && other.m_valid && fits(product));
}

CreditAmount CreditAmount::operator*(qint64 factor) const
{
    const Int128 product = Int128(m_units) * factor;
    return fromUnits(fits(product) ? qint64(product) : 0, m_valid && fits(product));
}

CreditAmount CreditAmount::dividedBy(const CreditAmount &other) const
{
    if (other.m_units == 0)
        return fromUnits(0, false);
    const Int128 quotient = roundedDivide(Int128(m_units) * scale, other.m_units);
    return fromUnits(fits(quotient) ? qint64(quotient) : 0, m_valid && other.m_valid && fits(quotient));
}

QString CreditAmount::toString() const
{
    if (!m_valid)
        return QStringLiteral("invalid");
    QString text = toString(fractionDigits);
    while (text.endsWith(QLatin1Char('0')))
        text.chop(1);
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

QString CreditAmount::toString(int decimals) const
{
    if (!m_valid)
        return QStringLiteral("invalid");
    decimals = qBound(0, decimals, fractionDigits);
    Int128 divisor = 1;
    for (int i = decimals; i < fractionDigits; ++i)
        divisor *= 10;
    const Int128 rounded = roundedDivide(m_units, divisor);
    const bool negative = rounded < 0;
    const qint64 magnitude = qint64(negative ? -rounded : rounded);
    qint64 power = 1;
    for (int i = 0; i < decimals; ++i)
        power *= 10;
    QString text = QString::number(magnitude / power);
    if (decimals > 0)
        text += QLatin1Char('.') + QStringLiteral("%1").arg(magnitude % power, decimals, 10, QLatin1Char('0'));
    return negative ? QLatin1Char('-') + text : text;
}

} // namespace ApoloDeploy::Planner
