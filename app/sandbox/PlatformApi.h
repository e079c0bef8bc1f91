// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/ApiContext.h"

#include <QJsonObject>

namespace ApoloDeploy::Sandbox {

class HttpResponder;
struct HttpRequest;

// The central API below /api/v1: /config and /jobs (create, get, list, kill, life span).
class PlatformApi
{
public:
    explicit PlatformApi(const ApiContext &context)
        : m_context(context)
    {}
    // subPath: the path below /api/v1 ("/config", "/jobs/…"). authorized: a valid token came.
    void handle(const QString &subPath, const HttpRequest &request, HttpResponder *responder, bool authorized);
    QJsonObject configJson(bool authorized) const;

private:
    void createJob(const HttpRequest &request, HttpResponder *responder);
    void listJobs(const HttpRequest &request, HttpResponder *responder);
    void setMaxRunTime(const QString &idOrName, const HttpRequest &request, HttpResponder *responder);

    ApiContext m_context;
};

} // namespace ApoloDeploy::Sandbox
