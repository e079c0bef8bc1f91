// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/HttpRequestParser.h"

#include <QUrl>

namespace ApoloDeploy::Sandbox {

namespace {

bool isToken(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (c <= 32 || c >= 127 || QByteArrayView("()<>@,;:\\\"/[]?={}").contains(c))
            return false;
    }
    return true;
}

} // namespace

bool HttpRequestParser::parseHead(const QByteArray &head, HttpRequest &request, bool *http10, QByteArray *error)
{
    auto failWith = [error](const char *message) {
        if (error)
            *error = message;
        return false;
    };
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    while (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return failWith("empty request");
    const QList<QByteArray> requestLine = lines.constFirst().split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine[0]) || !requestLine[1].startsWith('/') ||
        !requestLine[2].startsWith("HTTP/1."))
        return failWith("malformed request line");
    request.method = requestLine[0];
    request.target = requestLine[1];
    if (http10)
        *http10 = requestLine[2] == "HTTP/1.0";
    const qsizetype queryAt = request.target.indexOf('?');
    const QByteArray rawPath = queryAt < 0 ? request.target : request.target.left(queryAt);
    request.path = QUrl::fromPercentEncoding(rawPath);
    // QUrlQuery keeps '+' literal; HTML forms and aiohttp decode it as a space, and so do we
    // (clients must send %2B for a plus, as the platform requires).
    QByteArray rawQuery = queryAt < 0 ? QByteArray() : request.target.mid(queryAt + 1);
    rawQuery.replace('+', "%20");
    request.query = QUrlQuery(QString::fromLatin1(rawQuery));
    request.headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.left(colon)))
            return failWith("malformed header line");
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        // Repeated headers fold into one comma-separated value (RFC 9110 §5.3).
        if (request.headers.contains(name))
            request.headers[name] += ", " + value;
        else
            request.headers.insert(name, value);
    }
    return true;
}

HttpRequestParser::State HttpRequestParser::next(HttpRequest &request)
{
    if (!m_haveHead) {
        // Tolerate stray CRLFs between pipelined requests (RFC 9112 §2.2).
        while (m_buffer.startsWith("\r\n"))
            m_buffer.remove(0, 2);
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_buffer.size() > kMaxHeaderBytes)
                return fail(431, "request headers too large");
            return State::NeedMore;
        }
        m_current = HttpRequest();
        QByteArray error;
        if (!parseHead(m_buffer.left(end + 4), m_current, &m_http10, &error))
            return fail(400, error);
        m_buffer.remove(0, end + 4);
        m_haveHead = true;
        m_expectContinue = m_current.header("expect").toLower() == "100-continue";
        m_chunked = m_current.header("transfer-encoding").toLower().contains("chunked");
        m_contentLength = 0;
        if (!m_chunked && m_current.headers.contains("content-length")) {
            bool ok = false;
            m_contentLength = m_current.header("content-length").toLongLong(&ok);
            if (!ok || m_contentLength < 0)
                return fail(400, "invalid Content-Length");
            if (m_contentLength > kMaxBodyBytes)
                return fail(413, "request body too large");
        }
    }
    if (m_chunked) {
        const State state = takeChunkedBody();
        if (state != State::Ready)
            return state;
    } else {
        if (m_buffer.size() < m_contentLength)
            return State::NeedMore;
        m_current.body = m_buffer.left(m_contentLength);
        m_buffer.remove(0, m_contentLength);
    }
    m_haveHead = false;
    request = std::move(m_current);
    m_current = HttpRequest();
    return State::Ready;
}

HttpRequestParser::State HttpRequestParser::takeChunkedBody()
{
    // Decode from the start each time: bodies are small and this keeps no half-state.
    QByteArray body;
    qsizetype position = 0;
    for (;;) {
        const qsizetype lineEnd = m_buffer.indexOf("\r\n", position);
        if (lineEnd < 0)
            return m_buffer.size() - position > 1024 ? fail(400, "malformed chunk size") : State::NeedMore;
        QByteArray sizeText = m_buffer.mid(position, lineEnd - position);
        const qsizetype extension = sizeText.indexOf(';');
        if (extension >= 0)
            sizeText.truncate(extension);
        bool ok = false;
        const qint64 size = sizeText.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0)
            return fail(400, "malformed chunk size");
        if (body.size() + size > kMaxBodyBytes)
            return fail(413, "request body too large");
        position = lineEnd + 2;
        if (size == 0) {
            // Trailers (ignored) end with an empty line.
            const qsizetype trailersEnd = m_buffer.indexOf("\r\n", position);
            if (trailersEnd < 0)
                return State::NeedMore;
            if (trailersEnd != position) {
                const qsizetype blank = m_buffer.indexOf("\r\n\r\n", position);
                if (blank < 0)
                    return State::NeedMore;
                position = blank + 4;
            } else {
                position = trailersEnd + 2;
            }
            m_current.body = body;
            m_buffer.remove(0, position);
            return State::Ready;
        }
        if (m_buffer.size() < position + size + 2)
            return State::NeedMore;
        if (m_buffer.mid(position + size, 2) != "\r\n")
            return fail(400, "chunk not terminated by CRLF");
        body += m_buffer.mid(position, size);
        position += size + 2;
    }
}

HttpRequestParser::State HttpRequestParser::fail(int status, const QByteArray &message)
{
    m_errorStatus = status;
    m_error = message;
    return State::Error;
}

} // namespace ApoloDeploy::Sandbox
