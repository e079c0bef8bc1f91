// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace ApoloDeploy::Sandbox {

// How the server was started: decides the argparse program name and the positional model tag.
enum class VllmEntrypoint {
    ApiServerModule, // python3 -m vllm.entrypoints.openai.api_server … (the v0.7.2 image ENTRYPOINT)
    VllmServe,       // vllm serve <model_tag> …
};

// The vLLM OpenAI server's command line, parsed the way v0.7.2's FlexibleArgumentParser does.
struct VllmServerArgs
{
    VllmEntrypoint entrypoint = VllmEntrypoint::ApiServerModule;
    QString model = QStringLiteral("facebook/opt-125m");
    QString tokenizer;
    QStringList servedModelNames;
    int tensorParallel = 1;
    int pipelineParallel = 1;
    std::optional<int> maxModelLen;
    double gpuMemoryUtilization = 0.9;
    bool enforceEager = false;
    QString dtype = QStringLiteral("auto");
    QString quantization; // empty: taken from the checkpoint
    QString kvCacheDtype = QStringLiteral("auto");
    bool trustRemoteCode = false;
    bool enableReasoning = false;
    QString reasoningParser;
    bool enableAutoToolChoice = false;
    QString toolCallParser;
    QString apiKey; // --api-key, or VLLM_API_KEY which wins in v0.7.2's build_app
    QString host;   // empty: all interfaces
    int port = 8000;
    int maxNumSeqs = 256;
    std::optional<int> maxNumBatchedTokens;
    int blockSize = 16;
    double swapSpaceGiB = 4;
    QString distributedExecutorBackend;
    std::optional<bool> enableChunkedPrefill;
    bool disableLogRequests = false;
    bool disableLogStats = false;
    QString chatTemplate;
    // dest -> Python repr for every action, in parser order: what "args: Namespace(...)" prints.
    QList<QPair<QString, QString>> namespaceValues;

    // The name responses echo and /v1/models lists first.
    QString servedModelName() const { return servedModelNames.isEmpty() ? model : servedModelNames.first(); }
    int worldSize() const { return tensorParallel * pipelineParallel; }
    QString namespaceRepr() const;
};

struct VllmArgsParseResult
{
    bool ok = false;
    VllmServerArgs args;
    int exitCode = 0;  // 2 for argparse errors, 1 for the validation TypeErrors
    QString errorText; // what the process prints to stderr before exiting
};

// Parses argv (without the program itself). env supplies VLLM_API_KEY.
VllmArgsParseResult parseVllmServerArgs(const QStringList &argv, VllmEntrypoint entrypoint,
                                        const QHash<QString, QString> &env);

} // namespace ApoloDeploy::Sandbox
