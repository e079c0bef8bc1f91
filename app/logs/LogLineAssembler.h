// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringDecoder>

#include <functional>

namespace ApoloDeploy::Logs {

// Turns a byte stream in arbitrary chunks (WebSocket frames, HTTP chunks; apolo-api.md §5.1)
// into complete UTF-8 decoded lines.
//
// Lines are cut at '\n' on the bytes, before decoding: '\n' never occurs inside a multi-byte
// UTF-8 sequence, so a character split across two frames is decoded whole and invalid bytes
// cannot leak into the next line. A line longer than maxLineBytes is emitted in pieces (cut on a
// character boundary) so that a stream without newlines cannot exhaust memory.
class LogLineAssembler
{
public:
    // raw: the line's bytes as received (for the spill file); text: decoded, no trailing '\n'.
    using LineHandler = std::function<void(const QByteArray &raw, QString text)>;

    static constexpr qsizetype defaultMaxLineBytes = 32 * 1024 * 1024;

    explicit LogLineAssembler(LineHandler handler, qsizetype maxLineBytes = defaultMaxLineBytes);

    void feed(const QByteArray &chunk);
    // The stream ended: a last line without '\n' is still a line.
    void finish();
    // A new connection starts: a half line from the old one must not be glued to the new stream.
    // Returns the bytes that were dropped (0 when the old stream ended on a line boundary).
    qsizetype reset();
    qsizetype pendingBytes() const { return m_partial.size(); }

private:
    void emitLine(const QByteArray &raw);

    LineHandler m_handler;
    qsizetype m_maxLineBytes;
    QByteArray m_partial;
    QStringDecoder m_decoder{QStringDecoder::Utf8, QStringDecoder::Flag::Stateless};
};

} // namespace ApoloDeploy::Logs
