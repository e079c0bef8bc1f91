// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace ApoloDeploy {

// An error reported by an OpenAI-compatible server, normalised from every shape seen in the
// wild (vllm.md §1.1 and §2.4):
//   {"error": "Unauthorized"}                                   vLLM --api-key middleware (401)
//   {"object":"error","message":…,"type":…,"code":400}          vLLM <= 0.10.0
//   {"error":{"message":…,"type":…,"code":…}}                  vLLM >= 0.10.1, OpenAI
//   {"message": …} / {"detail": …}                              proxies, FastAPI
//   a non-JSON body (HTML from an ingress) or no body at all
struct ApiError
{
    int httpStatus = 0; // 0 when the error came inside a 200 event stream or from the network
    QString message;    // the server's own words (or our description when it sent none)
    QString type;       // e.g. "BadRequestError"; may be empty
    QString code;       // int or string codes, as text; may be empty

    bool isNull() const { return message.isEmpty(); }
    // One line for a status bar or stderr: "HTTP 404: The model `x` does not exist."
    QString summary() const;
    // What the user can do about it, or empty when we have nothing useful to add.
    QString hint() const;
    QJsonObject toJson() const;
};

namespace ApiErrors {

// Parses an HTTP error response. reasonPhrase is used when the body says nothing.
ApiError fromHttpResponse(int httpStatus, const QByteArray &body, const QString &reasonPhrase = {});
// Reads an error object out of a parsed JSON document (the root of a body or of an SSE event).
// Returns a null ApiError when the object does not look like an error.
ApiError fromJson(const QJsonObject &root);

} // namespace ApiErrors

} // namespace ApoloDeploy
