// SPDX-License-Identifier: GPL-3.0-or-later
#include "flow/Yaml11Scalar.h"

#include <QLocale>
#include <QRegularExpression>

namespace ApoloDeploy::Yaml11Scalar {

namespace {

// The implicit resolvers of PyYAML 6 (resolver.py), verbatim.
const QRegularExpression &boolPattern()
{
    static const QRegularExpression re(
        QStringLiteral("^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"));
    return re;
}

const QRegularExpression &intPattern()
{
    static const QRegularExpression re(QStringLiteral("^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)"
                                                      "|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"));
    return re;
}

const QRegularExpression &floatPattern()
{
    static const QRegularExpression re(QStringLiteral("^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
                                                      "|\\.[0-9_]+(?:[eE][-+][0-9]+)?"
                                                      "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
                                                      "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"));
    return re;
}

// PyYAML's construct_yaml_int, returning Python's str() of the result.
QString pythonInt(QString text)
{
    text.remove(QLatin1Char('_'));
    bool negative = false;
    if (text.startsWith(QLatin1Char('-')) || text.startsWith(QLatin1Char('+'))) {
        negative = text.startsWith(QLatin1Char('-'));
        text.remove(0, 1);
    }
    qlonglong value = 0;
    bool ok = true;
    if (text == QLatin1String("0")) {
        value = 0;
    } else if (text.startsWith(QLatin1String("0b"))) {
        value = text.mid(2).toLongLong(&ok, 2);
    } else if (text.startsWith(QLatin1String("0x"))) {
        value = text.mid(2).toLongLong(&ok, 16);
    } else if (text.startsWith(QLatin1Char('0'))) {
        value = text.toLongLong(&ok, 8);
    } else if (text.contains(QLatin1Char(':'))) {
        for (const QString &digit : text.split(QLatin1Char(':')))
            value = value * 60 + digit.toLongLong();
    } else {
        value = text.toLongLong(&ok, 10);
    }
    if (!ok)
        return text; // beyond 64 bits: Python would still print the digits
    return QString::number(negative ? -value : value);
}

QString pythonFloat(QString text)
{
    text.remove(QLatin1Char('_'));
    const QString lower = text.toLower();
    if (lower.endsWith(QLatin1String(".inf")))
        return text.startsWith(QLatin1Char('-')) ? QStringLiteral("-inf") : QStringLiteral("inf");
    if (lower == QLatin1String(".nan"))
        return QStringLiteral("nan");
    double value = 0;
    if (text.contains(QLatin1Char(':'))) {
        const bool negative = text.startsWith(QLatin1Char('-'));
        QString body = text;
        if (body.startsWith(QLatin1Char('-')) || body.startsWith(QLatin1Char('+')))
            body.remove(0, 1);
        for (const QString &digit : body.split(QLatin1Char(':')))
            value = value * 60 + digit.toDouble();
        value = negative ? -value : value;
    } else {
        value = text.toDouble();
    }
    // Python's repr: shortest round-trip digits, always with a '.' or an exponent.
    QString repr = QString::number(value, 'g', QLocale::FloatingPointShortest);
    if (!repr.contains(QLatin1Char('.')) && !repr.contains(QLatin1Char('e')) && !repr.contains(QLatin1String("inf")))
        repr += QStringLiteral(".0");
    return repr;
}

} // namespace

Resolved resolvePlain(const QString &text)
{
    if (text.isEmpty() || text == QLatin1String("~") || text == QLatin1String("null") ||
        text == QLatin1String("Null") || text == QLatin1String("NULL"))
        return {Type::Null, QStringLiteral("None"), false};
    if (boolPattern().match(text).hasMatch()) {
        const QString lower = text.toLower();
        const bool value =
            lower == QLatin1String("yes") || lower == QLatin1String("true") || lower == QLatin1String("on");
        return {Type::Bool, value ? QStringLiteral("True") : QStringLiteral("False"), value};
    }
    if (intPattern().match(text).hasMatch())
        return {Type::Int, pythonInt(text), false};
    if (floatPattern().match(text).hasMatch())
        return {Type::Float, pythonFloat(text), false};
    return {Type::String, text, false};
}

bool changesWhenLoaded(const QString &plainText)
{
    return resolvePlain(plainText).pythonText != plainText;
}

QString typeName(Type type)
{
    switch (type) {
    case Type::String: return QStringLiteral("str");
    case Type::Null: return QStringLiteral("null");
    case Type::Bool: return QStringLiteral("bool");
    case Type::Int: return QStringLiteral("int");
    case Type::Float: return QStringLiteral("float");
    }
    return {};
}

} // namespace ApoloDeploy::Yaml11Scalar
