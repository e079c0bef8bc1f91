// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QtGlobal>

#include <optional>

namespace ApoloDeploy {

// An exact decimal number for credits ("4.2", "0.0125"): the platform sends prices and balances
// as decimal strings, and summing or multiplying them as double would print 4.2000000000000002.
// Fixed point with 9 fraction digits in a 64-bit integer: +/- 9.2e9 credits, far above any
// balance. Digits beyond the 9th are rounded half away from zero when parsing.
class Decimal
{
public:
    static constexpr int fractionDigits = 9;
    static constexpr qint64 scale = 1'000'000'000;

    constexpr Decimal() = default;
    static constexpr Decimal fromUnits(qint64 units) { return Decimal(units); }
    static Decimal fromInt(qint64 whole) { return Decimal(whole * scale); }
    // Accepts "[-+]digits[.digits]" (also "1.", ".5", "1e-3" is refused). nullopt when invalid.
    static std::optional<Decimal> parse(QStringView text);

    constexpr qint64 units() const { return m_units; }
    bool isZero() const { return m_units == 0; }
    bool isNegative() const { return m_units < 0; }

    Decimal operator+(Decimal other) const { return Decimal(m_units + other.m_units); }
    Decimal operator-(Decimal other) const { return Decimal(m_units - other.m_units); }
    Decimal operator*(Decimal other) const;
    // this * numerator / denominator, rounded half away from zero (e.g. price * seconds / 3600).
    Decimal scaled(qint64 numerator, qint64 denominator) const;
    auto operator<=>(const Decimal &) const = default;

    // Shortest exact form ("4.2", "12", "-0.5").
    QString toString() const;
    // Rounded to exactly `decimals` fraction digits ("4.20"), like the apolo CLI's 4-decimal costs.
    QString toString(int decimals) const;
    double toDouble() const { return double(m_units) / double(scale); }

private:
    constexpr explicit Decimal(qint64 units)
        : m_units(units)
    {}
    qint64 m_units = 0;
};

} // namespace ApoloDeploy
