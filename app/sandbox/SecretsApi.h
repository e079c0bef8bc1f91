// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/ApiContext.h"

namespace ApoloDeploy::Sandbox {

class HttpResponder;
struct HttpRequest;

// platform-secrets below secrets_url: POST (201, upsert), GET list (org_name + project_name
// required), GET one (with value), DELETE (204). Values are base64, at most 1 MiB encoded.
class SecretsApi
{
public:
    explicit SecretsApi(const ApiContext &context)
        : m_context(context)
    {}
    void handle(const QString &subPath, const HttpRequest &request, HttpResponder *responder);

private:
    ApiContext m_context;
};

} // namespace ApoloDeploy::Sandbox
