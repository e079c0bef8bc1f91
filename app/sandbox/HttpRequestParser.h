// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/HttpServer.h"

#include <QByteArray>

namespace ApoloDeploy::Sandbox {

// Incremental HTTP/1.1 request parser over the bytes of one connection: feed() what arrives,
// next() yields complete requests in order (pipelining), bodies by Content-Length or chunked.
// Pure: no sockets, so it can be fed garbage in tests.
class HttpRequestParser
{
public:
    enum class State { NeedMore, Ready, Error };
    static constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
    static constexpr qsizetype kMaxBodyBytes = 64 * 1024 * 1024;

    void feed(const QByteArray &bytes) { m_buffer += bytes; }
    State next(HttpRequest &request);
    // True when no byte of a next request has been seen.
    bool isIdle() const { return m_buffer.isEmpty() && !m_haveHead; }
    // The current (incomplete) request asked for "Expect: 100-continue".
    bool expectsContinue() const { return m_haveHead && m_expectContinue; }
    bool lastWasHttp10() const { return m_http10; }
    int errorStatus() const { return m_errorStatus; }
    QByteArray errorString() const { return m_error; }

    // Parses a complete header block (request line + headers + empty line) into request.
    static bool parseHead(const QByteArray &head, HttpRequest &request, bool *http10 = nullptr,
                          QByteArray *error = nullptr);

private:
    State fail(int status, const QByteArray &message);
    // Removes a complete chunked body from m_buffer into m_current.body; NeedMore if incomplete.
    State takeChunkedBody();

    QByteArray m_buffer;
    HttpRequest m_current;
    bool m_haveHead = false;
    bool m_chunked = false;
    bool m_expectContinue = false;
    bool m_http10 = false;
    qsizetype m_contentLength = 0;
    int m_errorStatus = 400;
    QByteArray m_error;
};

} // namespace ApoloDeploy::Sandbox
