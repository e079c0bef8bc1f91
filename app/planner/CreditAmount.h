// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>
#include <QtGlobal>

#include <optional>

namespace ApoloDeploy::Planner {

// Exact decimal money for the cost view: credits arrive as decimal strings ("4.2") and must be
// multiplied by nodes, hours and rates without binary rounding. Fixed point with 9 fraction
// digits in 64 bits (±9.2e9); products and quotients go through 128-bit intermediates and are
// rounded half away from zero once, at the end. Overflow makes the value invalid instead of
// wrapping.
class CreditAmount
{
public:
    static constexpr int fractionDigits = 9;
    static constexpr qint64 scale = 1'000'000'000;

    CreditAmount() = default;
    static CreditAmount fromInt(qint64 whole);
    // "[-+]digits[.digits]"; nullopt when malformed (exponents and thousands separators refused).
    static std::optional<CreditAmount> parse(QStringView text);

    bool isValid() const { return m_valid; }
    qint64 units() const { return m_units; }
    bool isZero() const { return m_units == 0; }

    CreditAmount operator+(const CreditAmount &other) const;
    CreditAmount operator*(const CreditAmount &other) const;
    CreditAmount operator*(qint64 factor) const;
    // this / other, rounded to 9 fraction digits; invalid on division by zero.
    CreditAmount dividedBy(const CreditAmount &other) const;
    bool operator==(const CreditAmount &other) const = default;

    // Shortest exact form ("4.2", "12"); "invalid" when overflowed.
    QString toString() const;
    // Rounded to `decimals` fraction digits ("4.20").
    QString toString(int decimals) const;

private:
    static CreditAmount fromUnits(qint64 units, bool valid = true);
    qint64 m_units = 0;
    bool m_valid = true;
};

} // namespace ApoloDeploy::Planner
