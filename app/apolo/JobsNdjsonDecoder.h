// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloError.h"
#include "apolo/PlatformTypes.h"

#include <QByteArray>

namespace ApoloDeploy {

// Incremental decoder of GET /jobs with Accept: application/x-ndjson (§4.2): one job JSON per
// line. Reads may split lines anywhere; a mid-stream server failure appends a final
// {"error": "…"} that may lack the newline, so finish() decodes whatever is left.
// The first error stops decoding; later input is ignored.
class JobsNdjsonDecoder
{
public:
    // Limits one line, so a broken stream without newlines cannot grow memory without bound
    // (a job JSON is a few KiB; the SDK reads with a 4 MiB buffer).
    static constexpr qsizetype maxLineBytes = 4 * 1024 * 1024;

    // Decodes every complete line in `chunk` (plus what was buffered before).
    QList<Job> feed(const QByteArray &chunk);
    // End of stream: decodes a trailing unterminated line.
    QList<Job> finish();

    bool hasError() const { return m_error.isError(); }
    const ApoloError &error() const { return m_error; }
    qsizetype bufferedBytes() const { return m_buffer.size(); }

private:
    void decodeLine(QByteArray line, QList<Job> &jobs);

    QByteArray m_buffer;
    ApoloError m_error;
};

} // namespace ApoloDeploy
