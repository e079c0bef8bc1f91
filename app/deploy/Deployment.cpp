// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/Deployment.h"

#include <QJsonArray>

namespace ApoloDeploy {

namespace {

QJsonObject envToJson(const QMap<QString, QString> &env)
{
    QJsonObject json;
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        json.insert(it.key(), it.value());
    return json;
}

void readString(const QJsonObject &json, const char *key, QString &target)
{
    const QJsonValue value = json.value(QLatin1String(key));
    if (value.isString())
        target = value.toString();
}

void readInt(const QJsonObject &json, const char *key, int &target)
{
    const QJsonValue value = json.value(QLatin1String(key));
    if (value.isDouble())
        target = value.toInt();
}

void readBool(const QJsonObject &json, const char *key, bool &target)
{
    const QJsonValue value = json.value(QLatin1String(key));
    if (value.isBool())
        target = value.toBool();
}

} // namespace

QJsonObject Deployment::toJson() const
{
    QJsonObject json{
        {QStringLiteral("name"), name},
        {QStringLiteral("image"), image},
        {QStringLiteral("model"), model},
        {QStringLiteral("servedModelName"), servedModelName},
        {QStringLiteral("tensorParallel"), tensorParallel},
        {QStringLiteral("pipelineParallel"), pipelineParallel},
        {QStringLiteral("maxModelLen"), maxModelLen},
        {QStringLiteral("dtype"), dtype},
        {QStringLiteral("quantization"), quantization},
        {QStringLiteral("enforceEager"), enforceEager},
        {QStringLiteral("gpuMemoryUtilization"), gpuMemoryUtilization},
        {QStringLiteral("kvCacheDtype"), kvCacheDtype},
        {QStringLiteral("reasoningParser"), reasoningParser},
        {QStringLiteral("trustRemoteCode"), trustRemoteCode},
        {QStringLiteral("extraVllmArgs"), QJsonArray::fromStringList(extraVllmArgs)},
        {QStringLiteral("hfTokenSecret"), hfTokenSecret},
        {QStringLiteral("hfCacheVolume"), hfCacheVolume},
        {QStringLiteral("hfCacheMount"), hfCacheMount},
        {QStringLiteral("preset"), preset},
        {QStringLiteral("lifeSpan"), lifeSpan},
        {QStringLiteral("httpAuth"), httpAuth},
        {QStringLiteral("apiKeySecret"), apiKeySecret},
        {QStringLiteral("networkInterface"), networkInterface},
        {QStringLiteral("extraEnv"), envToJson(extraEnv)},
        {QStringLiteral("openWebUi"), openWebUi},
        {QStringLiteral("webImage"), webImage},
        {QStringLiteral("webPreset"), webPreset},
    };
    return json;
}

Deployment Deployment::fromJson(const QJsonObject &json)
{
    Deployment d;
    readString(json, "name", d.name);
    readString(json, "image", d.image);
    readString(json, "model", d.model);
    readString(json, "servedModelName", d.servedModelName);
    readInt(json, "tensorParallel", d.tensorParallel);
    readInt(json, "pipelineParallel", d.pipelineParallel);
    readInt(json, "maxModelLen", d.maxModelLen);
    readString(json, "dtype", d.dtype);
    readString(json, "quantization", d.quantization);
    readBool(json, "enforceEager", d.enforceEager);
    if (json.value(QLatin1String("gpuMemoryUtilization")).isDouble())
        d.gpuMemoryUtilization = json.value(QLatin1String("gpuMemoryUtilization")).toDouble();
    readString(json, "kvCacheDtype", d.kvCacheDtype);
    readBool(json, "reasoningParser", d.reasoningParser);
    readBool(json, "trustRemoteCode", d.trustRemoteCode);
    if (json.value(QLatin1String("extraVllmArgs")).isArray()) {
        d.extraVllmArgs.clear();
        for (const QJsonValue &arg : json.value(QLatin1String("extraVllmArgs")).toArray())
            d.extraVllmArgs << arg.toString();
    }
    readString(json, "hfTokenSecret", d.hfTokenSecret);
    readString(json, "hfCacheVolume", d.hfCacheVolume);
    readString(json, "hfCacheMount", d.hfCacheMount);
    readString(json, "preset", d.preset);
    readString(json, "lifeSpan", d.lifeSpan);
    readBool(json, "httpAuth", d.httpAuth);
    readString(json, "apiKeySecret", d.apiKeySecret);
    readString(json, "networkInterface", d.networkInterface);
    if (json.value(QLatin1String("extraEnv")).isObject()) {
        const QJsonObject env = json.value(QLatin1String("extraEnv")).toObject();
        d.extraEnv.clear();
        for (auto it = env.constBegin(); it != env.constEnd(); ++it)
            d.extraEnv.insert(it.key(), it.value().toString());
    }
    readBool(json, "openWebUi", d.openWebUi);
    readString(json, "webImage", d.webImage);
    readString(json, "webPreset", d.webPreset);
    return d;
}

} // namespace ApoloDeploy
