// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/HttpServer.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace ApoloDeploy::Sandbox {

// A Hugging Face Hub stand-in for apolo-sandbox: serves what the planner's HubClient (and vLLM's
// loader) fetch first, for every model of the planner catalog:
//   GET {prefix}/{owner}/{name}/resolve/main/config.json
//   GET {prefix}/{owner}/{name}/resolve/main/model.safetensors.index.json  (when its size is known)
//   GET {prefix}/api/models/{owner}/{name}
// Unknown repos get the hub's 404 (X-Error-Code: RepoNotFound, {"error": "Repository not found"}).
// kGatedRepo answers like a gated repo: 401 GatedRepo without a token, 403 with one.
//
// The catalog is the planner's resource ":/planner/models/catalog.json", present when adc_planner
// is linked into the sandbox; without it every repo is unknown (a warning says so).
class HuggingFaceHub
{
public:
    static constexpr const char *kGatedRepo = "apolo-sandbox/gated-model";

    // prefix: the path the sandbox routes here ("" when the hub is the whole server, else e.g. "/hf").
    explicit HuggingFaceHub(const QString &pathPrefix = {});
    // For tests: an explicit catalog (same JSON shape as resources/models/catalog.json).
    HuggingFaceHub(const QString &pathPrefix, const QByteArray &catalogJson);

    // True when the request was answered (it belongs to the hub's paths).
    bool handle(const HttpRequest &request, HttpResponder *responder);

    int modelCount() const { return int(m_configs.size()); }

private:
    struct Entry
    {
        QByteArray configJson;
        qint64 checkpointBytes = 0; // 0: no index (like a single-file checkpoint)
        double parameters = 0;
    };
    void load(const QByteArray &catalogJson);
    static void repoNotFound(HttpResponder *responder);

    QString m_prefix;
    QHash<QString, Entry> m_configs; // lower-case repo id -> entry
    QHash<QString, QString> m_canonicalIds;
};

} // namespace ApoloDeploy::Sandbox
