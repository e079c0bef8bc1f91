// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/JobsNdjsonDecoder.h"

#include "apolo/ApiJson.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace ApoloDeploy {

QList<Job> JobsNdjsonDecoder::feed(const QByteArray &chunk)
{
    QList<Job> jobs;
    if (hasError())
        return jobs;
    m_buffer += chunk;
    qsizetype start = 0;
    for (;;) {
        const qsizetype newline = m_buffer.indexOf('\n', start);
        if (newline < 0)
            break;
        decodeLine(m_buffer.mid(start, newline - start), jobs);
        start = newline + 1;
        if (hasError())
            break;
    }
    m_buffer.remove(0, start);
    if (!hasError() && m_buffer.size() > maxLineBytes) {
        m_error = ApiJson::protocolError(
            QCoreApplication::translate("ApoloApi", "a job list line is longer than %1 bytes").arg(maxLineBytes));
        m_buffer.clear();
    }
    return jobs;
}

QList<Job> JobsNdjsonDecoder::finish()
{
    QList<Job> jobs;
    if (!hasError() && !m_buffer.isEmpty())
        decodeLine(m_buffer, jobs);
    m_buffer.clear();
    return jobs;
}

void JobsNdjsonDecoder::decodeLine(QByteArray line, QList<Job> &jobs)
{
    line = line.trimmed(); // tolerates \r\n
    if (line.isEmpty())
        return;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        m_error =
            ApiJson::protocolError(QCoreApplication::translate("ApoloApi", "a job list line is not a JSON object"));
        return;
    }
    const QJsonObject object = document.object();
    // The server's in-stream failure: {"error": "..."} as the last line (the SDK raises on it).
    if (object.contains(u"error") && !object.contains(u"id")) {
        m_error = ApiJson::parseApiError(500, line);
        m_error.httpStatus = 0;
        return;
    }
    // A server that ignored the Accept header sends the plain {"jobs": [...]} form.
    if (object.value(u"jobs").isArray() && !object.contains(u"id")) {
        ApoloResult<QList<Job>> list = ApiJson::parseJobList(line);
        if (!list)
            m_error = list.error();
        else
            jobs += list.value();
        return;
    }
    ApoloResult<Job> job = ApiJson::jobFromJson(object);
    if (!job) {
        m_error = job.error();
        return;
    }
    jobs << job.value();
}

} // namespace ApoloDeploy
