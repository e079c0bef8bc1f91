// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApiJson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QLocale>

// Small helpers shared by the ApiJson decoders (internal to app/apolo).
namespace ApoloDeploy::ApiJson::Detail {

inline QString tr(const char *text)
{
    return QCoreApplication::translate("ApoloApi", text);
}

// A decimal sent as a string (the norm) or, defensively, as a JSON number.
inline QString decimalText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    return QString();
}

inline QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list << item.toString();
    return list;
}

inline QUrl url(const QJsonValue &value)
{
    const QString text = value.toString();
    return text.isEmpty() ? QUrl() : QUrl(text, QUrl::StrictMode);
}

inline ApoloResult<QJsonObject> parseObject(const QByteArray &body, const char *what)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return protocolError(tr("%1 is not valid JSON (%2 at byte %3)")
                                 .arg(QLatin1String(what), parseError.errorString())
                                 .arg(parseError.offset));
    if (!document.isObject())
        return protocolError(tr("%1 is not a JSON object").arg(QLatin1String(what)));
    return document.object();
}

} // namespace ApoloDeploy::ApiJson::Detail
