// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace ApoloDeploy::Sandbox::VllmTracebacks {

// Python frames ("  File …, line N, in f\n    code") as the vllm-openai v0.7.2 image prints them.
QString sitePackages();
// The API server's frames down to build_async_engine_client_from_engine_args.
QStringList apiServerFrames();
// …then EngineArgs.create_engine_config down to the config check that failed.
QStringList createConfigFrames(const QString &lastFunction, const QString &lastCode);
// …then the engine's constructor down to a worker method (load_model, initialize_cache, …).
QStringList engineInitFrames(const QString &step, const QString &workerFunction, const QString &raiseCode);
// "Traceback (most recent call last):\n" + frames + "\n" + error.
QString render(const QStringList &frames, const QString &error);
// A CUDA OOM message as torch 2.5 words it.
QString cudaOutOfMemory(double triedGiB, int gpu, double totalGiB, double freeGiB, double inUseGiB);

} // namespace ApoloDeploy::Sandbox::VllmTracebacks
