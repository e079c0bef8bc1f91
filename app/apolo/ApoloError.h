// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace ApoloDeploy {

// One error type for everything that talks to Apolo. `message` is the server's own text
// (the `error` field, verbatim) when there is one; `hint` tells the user what to do next.
struct ApoloError
{
    enum class Kind {
        None,         // no error (LogConnection::finished with a clean end)
        Network,      // connection refused / reset / DNS / TLS
        Timeout,      // inactivity timeout, or a wait (login, sandbox start) that ran out
        Cancelled,    // aborted by the user or because the caller went away
        Unauthorized, // 401, or a token that could not be refreshed: sign in again
        Forbidden,    // 403, with `missing` permissions when the server lists them
        NotFound,     // 404, or the API's 400 "no such job"
        Validation,   // 400 (or 409/422) the request was refused as given
        Quota,        // 400 "Jobs limit quota exceeded …"
        Credits,      // 400 "No credits left …"
        Server,       // 5xx
        Protocol,     // the server sent something we cannot read
        Insecure,     // refused locally: http:// to a non-loopback host, token to a foreign host
    };

    struct MissingPermission
    {
        QString uri;
        QString action;
    };

    Kind kind = Kind::None;
    int httpStatus = 0; // 0 when no HTTP response was received
    QString message;
    QList<MissingPermission> missing;
    QString hint;

    bool isError() const { return kind != Kind::None; }
    // Worth retrying an idempotent request: network failures, timeouts, 502/503/504.
    bool isTransient() const;
    // "message (hint)" in one line, for logs and the CLI.
    QString toString() const;
    static QString kindName(Kind kind);
};

// The outcome of an asynchronous call: a value or an ApoloError.
template <typename T> class ApoloResult
{
public:
    ApoloResult(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {}
    ApoloResult(ApoloError error)
        : m_data(std::in_place_index<1>, std::move(error))
    {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T &value() const { return std::get<0>(m_data); }
    T &value() { return std::get<0>(m_data); }
    const T *operator->() const { return &std::get<0>(m_data); }
    const ApoloError &error() const
    {
        static const ApoloError none;
        return ok() ? none : std::get<1>(m_data);
    }

private:
    std::variant<T, ApoloError> m_data;
};

// For calls that return nothing but success (DELETE → 204).
struct Done
{
};

} // namespace ApoloDeploy
