// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/LogLineAssembler.h"

#include <cstring>

namespace ApoloDeploy::Logs {

LogLineAssembler::LogLineAssembler(LineHandler handler, qsizetype maxLineBytes)
    : m_handler(std::move(handler))
    , m_maxLineBytes(qMax<qsizetype>(maxLineBytes, 16))
{}

void LogLineAssembler::emitLine(const QByteArray &raw)
{
    m_handler(raw, m_decoder.decode(raw));
}

void LogLineAssembler::feed(const QByteArray &chunk)
{
    const char *data = chunk.constData();
    qsizetype pos = 0;
    const qsizetype size = chunk.size();
    while (pos < size) {
        const void *found = std::memchr(data + pos, '\n', size_t(size - pos));
        if (!found) {
            m_partial.append(data + pos, size - pos);
            break;
        }
        const qsizetype end = static_cast<const char *>(found) - data;
        if (m_partial.isEmpty()) {
            emitLine(QByteArray::fromRawData(data + pos, end - pos));
        } else {
            m_partial.append(data + pos, end - pos);
            emitLine(m_partial);
            m_partial.clear();
        }
        pos = end + 1;
    }
    while (m_partial.size() > m_maxLineBytes) {
        // Back off to a character boundary: never cut a UTF-8 sequence in two.
        qsizetype cut = m_maxLineBytes;
        while (cut > 0 && (uchar(m_partial.at(cut)) & 0xC0) == 0x80)
            --cut;
        emitLine(m_partial.first(cut));
        m_partial.remove(0, cut);
    }
}

void LogLineAssembler::finish()
{
    if (m_partial.isEmpty())
        return;
    emitLine(m_partial);
    m_partial.clear();
}

qsizetype LogLineAssembler::reset()
{
    const qsizetype dropped = m_partial.size();
    m_partial.clear();
    return dropped;
}

} // namespace ApoloDeploy::Logs
