// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringView>
#include <QVariant>
#include <QVariantMap>

namespace ApoloDeploy::Logs::PythonValues {

// "32,768" -> 32768, "0.95" -> 0.95, "True" -> true, "'x'" -> "x", "torch.float16" -> "float16".
QVariant toVariant(QStringView text);

// Pulls the settings that matter for planning and diagnosis out of vLLM's printed configuration:
// "model='x', dtype=torch.float16, max_seq_len=32768, …" (engine config), "…tensor_parallel_size=8, …)"
// (argparse Namespace) or "'model': 'x', 'tensor_parallel_size': 8, …}" (non-default args).
// Keys come back in camelCase: model, dtype, maxModelLen, tensorParallelSize, pipelineParallelSize,
// gpuMemoryUtilization, enforceEager, quantization, kvCacheDtype, servedModelName, …
QVariantMap engineConfigValues(QStringView text);

} // namespace ApoloDeploy::Logs::PythonValues
