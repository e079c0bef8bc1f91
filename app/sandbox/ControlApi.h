// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/ApiContext.h"

#include <QJsonObject>

namespace ApoloDeploy::Sandbox {

class HttpResponder;
struct HttpRequest;

// The sandbox's own test hook at /_sandbox/control (not part of Apolo; needs the sandbox token).
// GET returns the current settings; POST changes any of:
//   {"balance": "12.5" | null, "org_balance": "…" | null, "max_running_jobs": 3 | null,
//    "faults": "drop-logs=4096,…", "speed": 100, "token_expiry_seconds": 30}
class ControlApi
{
public:
    explicit ControlApi(const ApiContext &context)
        : m_context(context)
    {}
    void handle(const HttpRequest &request, HttpResponder *responder);
    QJsonObject stateJson() const;

private:
    ApiContext m_context;
};

} // namespace ApoloDeploy::Sandbox
