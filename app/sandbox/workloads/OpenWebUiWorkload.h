// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/Workload.h"
#include "sandbox/workloads/ContainerContext.h"

namespace ApoloDeploy::Sandbox {

class HttpServer;

// ghcr.io/open-webui/open-webui: the sandbox does not run the real web app; it serves one page
// that says so and shows which OpenAI endpoints (OPENAI_API_BASE_URL[S]) it was configured with.
class OpenWebUiWorkload : public Workload
{
    Q_OBJECT

public:
    OpenWebUiWorkload(ContainerContextPtr context, QObject *parent = nullptr);
    ~OpenWebUiWorkload() override;

    void start() override;
    void stop() override;
    quint16 servingPort() const override;

private:
    QByteArray page() const;

    ContainerContextPtr m_context;
    HttpServer *m_server = nullptr;
    bool m_serving = false;
};

} // namespace ApoloDeploy::Sandbox
