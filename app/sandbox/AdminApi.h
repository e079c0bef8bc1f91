// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/ApiContext.h"

namespace ApoloDeploy::Sandbox {

class HttpResponder;
struct HttpRequest;

// The admin service below admin_url, read side only (what `apolo config show` uses):
//   GET clusters/{c}/orgs/{o}/users/{u}, GET clusters/{c}/users/{u}, GET clusters/{c}/orgs/{o}.
// Credits are decimal strings, null = unlimited.
class AdminApi
{
public:
    explicit AdminApi(const ApiContext &context)
        : m_context(context)
    {}
    void handle(const QString &subPath, const HttpRequest &request, HttpResponder *responder);

private:
    ApiContext m_context;
};

} // namespace ApoloDeploy::Sandbox
