// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace ApoloDeploy {

// Everything needed to launch one model: a Ray cluster of `pipelineParallel` jobs (one per node)
// with vLLM on the last one, plus an optional Open WebUI. Secrets appear only as the *names* of
// platform secrets (`apolo secret add NAME …`); their values never pass through this struct.
struct Deployment
{
    static constexpr auto defaultImage = "vllm/vllm-openai:v0.7.2";
    static constexpr auto defaultWebImage = "ghcr.io/open-webui/open-webui:v0.5.11";
    static constexpr auto defaultCacheMount = "/root/.cache/huggingface";
    static constexpr int servingPort = 8000;
    static constexpr int webPort = 8080;
    static constexpr int rayPort = 6379;

    QString name;
    QString image = QString::fromLatin1(defaultImage);
    QString model;
    QString servedModelName;  // empty: vLLM answers to the model path
    int tensorParallel = 8;   // GPUs per node
    int pipelineParallel = 1; // = nodes = jobs in the Ray cluster
    int maxModelLen = 0;      // 0: the model's own limit
    QString dtype = QStringLiteral("auto");
    QString quantization; // empty: from the checkpoint
    bool enforceEager = false;
    double gpuMemoryUtilization = 0.9;
    QString kvCacheDtype = QStringLiteral("auto");
    bool reasoningParser = false; // --enable-reasoning --reasoning-parser deepseek_r1
    bool trustRemoteCode = true;
    QStringList extraVllmArgs;

    QString hfTokenSecret = QStringLiteral("HF_TOKEN");         // empty: public model, no token
    QString hfCacheVolume = QStringLiteral("storage:hf-cache"); // empty: no cache volume
    QString hfCacheMount = QString::fromLatin1(defaultCacheMount);
    QString preset;
    QString lifeSpan = QStringLiteral("1d"); // apolo duration: "10d", "1d12h", "3600"
    bool httpAuth = true;
    QString apiKeySecret; // platform secret holding vLLM's API key; empty: no key
    // NCCL_SOCKET_IFNAME / GLOO_SOCKET_IFNAME for every Ray node; empty: let NCCL pick.
    QString networkInterface;
    QMap<QString, QString> extraEnv;

    bool openWebUi = false;
    QString webImage = QString::fromLatin1(defaultWebImage);
    QString webPreset = QStringLiteral("cpu-small");

    int nodeCount() const { return pipelineParallel; }
    int totalGpus() const { return tensorParallel * pipelineParallel; }
    // The name clients must send as "model".
    QString effectiveServedModelName() const { return servedModelName.isEmpty() ? model : servedModelName; }

    QJsonObject toJson() const;
    // Missing keys keep their defaults, so files written by older versions still load.
    static Deployment fromJson(const QJsonObject &json);

    bool operator==(const Deployment &other) const = default;
};

} // namespace ApoloDeploy
