// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ApiError.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QRegularExpression>

namespace ApoloDeploy {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ApiError", text);
}

QString codeText(const QJsonValue &code)
{
    if (code.isDouble())
        return QString::number(code.toInteger());
    return code.toString();
}

// A non-JSON body is usually an HTML page from an ingress or proxy: keep its text, not its tags.
QString plainTextExcerpt(const QByteArray &body)
{
    static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    QString text = QString::fromUtf8(body.left(4096));
    text.remove(tags);
    text = text.replace(spaces, QStringLiteral(" ")).trimmed();
    if (text.size() > 300)
        text = text.left(300) + QStringLiteral("…");
    return text;
}

} // namespace

QString ApiError::summary() const
{
    if (httpStatus > 0)
        return tr("HTTP %1: %2").arg(httpStatus).arg(message);
    return message;
}

QString ApiError::hint() const
{
    switch (httpStatus) {
    case 401:
    case 403:
        return tr("The endpoint refused the credentials. Check the API key (vLLM --api-key / VLLM_API_KEY) "
                  "or, for an Apolo job with HTTP authentication, that you are signed in.");
    case 404:
        return tr("Check the base URL (it should point at the server root or its /v1) and the model name "
                  "listed by /v1/models.");
    case 502:
    case 503:
    case 504: return tr("The server is not answering yet: the model may still be loading. Watch the server logs.");
    default: break;
    }
    if (message.contains(QLatin1String("maximum context length")))
        return tr("Shorten the conversation or lower max tokens.");
    return {};
}

QJsonObject ApiError::toJson() const
{
    QJsonObject object{{QStringLiteral("message"), message}};
    if (httpStatus > 0)
        object.insert(QStringLiteral("http_status"), httpStatus);
    if (!type.isEmpty())
        object.insert(QStringLiteral("type"), type);
    if (!code.isEmpty())
        object.insert(QStringLiteral("code"), code);
    return object;
}

namespace ApiErrors {

ApiError fromJson(const QJsonObject &root)
{
    ApiError error;
    const QJsonValue errorValue = root.value(QLatin1String("error"));
    if (errorValue.isObject()) {
        const QJsonObject inner = errorValue.toObject();
        error.message = inner.value(QLatin1String("message")).toString();
        error.type = inner.value(QLatin1String("type")).toString();
        error.code = codeText(inner.value(QLatin1String("code")));
        if (error.message.isEmpty())
            error.message = QString::fromUtf8(QJsonDocument(inner).toJson(QJsonDocument::Compact));
    } else if (errorValue.isString()) {
        error.message = errorValue.toString();
    } else if (root.value(QLatin1String("object")).toString() == QLatin1String("error") ||
               (root.contains(QLatin1String("message")) && !root.contains(QLatin1String("choices")))) {
        error.message = root.value(QLatin1String("message")).toString();
        error.type = root.value(QLatin1String("type")).toString();
        error.code = codeText(root.value(QLatin1String("code")));
    } else if (root.value(QLatin1String("detail")).isString()) {
        error.message = root.value(QLatin1String("detail")).toString();
    }
    return error;
}

ApiError fromHttpResponse(int httpStatus, const QByteArray &body, const QString &reasonPhrase)
{
    ApiError error;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError && document.isObject())
        error = fromJson(document.object());
    if (error.message.isEmpty() && !body.trimmed().isEmpty())
        error.message = plainTextExcerpt(body);
    if (error.message.isEmpty())
        error.message = reasonPhrase.isEmpty() ? tr("the server sent no details") : reasonPhrase;
    error.httpStatus = httpStatus;
    return error;
}

} // namespace ApiErrors

} // namespace ApoloDeploy
