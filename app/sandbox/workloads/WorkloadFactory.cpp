// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/Workload.h"
#include "sandbox/workloads/ContainerContext.h"
#include "sandbox/workloads/GenericWorkload.h"
#include "sandbox/workloads/OpenWebUiWorkload.h"
#include "sandbox/workloads/ShellCommand.h"

namespace ApoloDeploy::Sandbox {

namespace {

// ENTRYPOINT of the images the sandbox knows; vllm/vllm-openai v0.7.x starts the API server module.
QStringList imageEntrypoint(const QString &image)
{
    const QString name = image.section(QLatin1Char(':'), 0, 0).section(QLatin1Char('@'), 0, 0);
    if (name.endsWith(QLatin1String("vllm/vllm-openai")))
        return {QStringLiteral("python3"), QStringLiteral("-m"), QStringLiteral("vllm.entrypoints.openai.api_server")};
    return {};
}

} // namespace

Workload *createWorkload(const WorkloadSpec &spec, WorkloadHost *host, QObject *parent)
{
    auto context = std::make_shared<ContainerContext>();
    context->spec = spec;
    context->host = host;
    context->env = spec.env;
    for (auto it = spec.secretEnv.cbegin(); it != spec.secretEnv.cend(); ++it)
        context->env.insert(it.key(), it.value());
    if (spec.image.contains(QLatin1String("open-webui/open-webui")))
        return new OpenWebUiWorkload(context, parent);
    return new GenericWorkload(context, containerSteps(imageEntrypoint(spec.image), spec.entrypoint, spec.command),
                               parent);
}

} // namespace ApoloDeploy::Sandbox
