// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/MonitoringApi.h"

#include "sandbox/HttpServer.h"
#include "sandbox/JobRegistry.h"
#include "sandbox/LogStore.h"
#include "sandbox/LogStreamer.h"
#include "sandbox/SandboxState.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTimer>
#include <QWebSocket>

namespace ApoloDeploy::Sandbox {

namespace {

QByteArray errorJson(const QString &message)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), message}}).toJson(QJsonDocument::Compact);
}

QByteArray defaultSeparator()
{
    QByteArray hex;
    for (int i = 0; i < 30; ++i)
        hex += QByteArray::number(QRandomGenerator::global()->bounded(256), 16).rightJustified(2, '0');
    return "=== Live logs ===" + hex;
}

} // namespace

const SandboxJob *MonitoringApi::jobOf(const QString &subPath, QString *endpoint) const
{
    const QStringList parts = subPath.mid(1).split(u'/');
    if (parts.size() != 2)
        return nullptr;
    *endpoint = parts.at(1);
    return m_context.registry.find(parts.at(0));
}

bool MonitoringApi::parseLogParams(const HttpRequest &request, LogParams *params, QString *error) const
{
    const QString timestamps = request.query.queryItemValue(QStringLiteral("timestamps")).toLower();
    if (timestamps == QLatin1String("true") || timestamps == QLatin1String("1")) {
        params->timestamps = true;
    } else if (!timestamps.isEmpty() && timestamps != QLatin1String("false") && timestamps != QLatin1String("0")) {
        *error = QStringLiteral("Invalid value for timestamps: '%1' (use true, 1, false or 0)").arg(timestamps);
        return false;
    }
    const QString since = request.query.queryItemValue(QStringLiteral("since"), QUrl::FullyDecoded);
    if (!since.isEmpty()) {
        qint64 ns = 0;
        if (!SimClock::parseIso(since, &ns)) {
            *error = QStringLiteral("Invalid value for since: '%1' (ISO 8601 expected)").arg(since);
            return false;
        }
        params->sinceTimestamp = SimClock::logTimestamp(ns);
    }
    const QString separator = request.query.queryItemValue(QStringLiteral("separator"), QUrl::FullyDecoded);
    params->separator = separator.isEmpty() ? defaultSeparator() : separator.toUtf8();
    const QString delay = request.query.queryItemValue(QStringLiteral("archive_delay"));
    if (!delay.isEmpty()) {
        bool ok = false;
        const double seconds = delay.toDouble(&ok);
        if (!ok || seconds < 0) {
            *error = QStringLiteral("Invalid value for archive_delay: '%1'").arg(delay);
            return false;
        }
        params->archiveDelayNs = qint64(seconds * 1e9);
    }
    return true;
}

void MonitoringApi::handle(const QString &subPath, const HttpRequest &request, HttpResponder *responder)
{
    if (subPath == QLatin1String("/capacity") && request.method == "GET") {
        QJsonObject capacity;
        const JobRegistry &registry = m_context.registry;
        for (const Preset &preset : m_context.state.presets().presets()) {
            const ResourcePool *pool = m_context.state.presets().pool(preset.pool);
            int usedGpus = 0;
            int usedCpuJobs = 0;
            for (const SandboxJob *job : registry.jobs()) {
                const Preset *other = job->isActive() ? m_context.state.presets().find(job->presetName) : nullptr;
                if (other && other->pool == preset.pool) {
                    usedGpus += other->gpuCount;
                    usedCpuJobs += 1;
                }
            }
            int free = 0;
            if (pool && preset.gpuCount > 0)
                free = std::max(0, (pool->maxNodes * pool->gpusPerNode - usedGpus) / preset.gpuCount);
            else if (pool)
                free = std::max(0, int(pool->maxNodes * pool->cpu / preset.cpu) - usedCpuJobs);
            capacity.insert(preset.name, free);
        }
        responder->respondJson(200, capacity);
        return;
    }
    QString endpoint;
    const SandboxJob *job = jobOf(subPath, &endpoint);
    if (endpoint != QLatin1String("log") || request.method != "GET") {
        responder->respond(404, "text/plain; charset=utf-8", "404: Not Found");
        return;
    }
    if (!job) {
        responder->respondError(400, QStringLiteral("no such job ") + subPath.section(u'/', 1, 1));
        return;
    }
    LogParams params;
    QString error;
    if (!parseLogParams(request, &params, &error)) {
        responder->respondError(400, error);
        return;
    }
    LogStreamer::Options options;
    options.timestamps = params.timestamps;
    options.sinceTimestamp = params.sinceTimestamp;
    options.separator = params.separator;
    options.archiveCutoff = SimClock::logTimestamp(m_context.state.clock().nowNs() - params.archiveDelayNs);
    options.jobActive = job->isActive();
    options.dropAfterBytes = m_context.state.faults().settings().dropLogsEveryBytes;
    responder->beginStream(200, "text/plain; charset=utf-8", {{"X-Separator", params.separator}});
    new LogStreamer(m_context.registry.logOf(job->id), responder, options);
}

int MonitoringApi::checkWebSocket(const QString &subPath, const HttpRequest &request, QByteArray &error) const
{
    if (!m_context.state.isValidToken(request.bearerToken())) {
        error = errorJson(QStringLiteral("401: Unauthorized"));
        return 401;
    }
    QString endpoint;
    const SandboxJob *job = jobOf(subPath, &endpoint);
    if (endpoint != QLatin1String("log_ws") && endpoint != QLatin1String("top")) {
        error = errorJson(QStringLiteral("Not Found"));
        return 404;
    }
    if (!job) {
        error = errorJson(QStringLiteral("no such job ") + subPath.section(u'/', 1, 1));
        return 400;
    }
    if (endpoint == QLatin1String("log_ws")) {
        LogParams params;
        QString message;
        if (!parseLogParams(request, &params, &message)) {
            error = errorJson(message);
            return 400;
        }
    } else if (job->isFinished()) {
        error = errorJson(QStringLiteral("Job is not running"));
        return 404;
    }
    return 101;
}

void MonitoringApi::serveWebSocket(const QString &subPath, const HttpRequest &request, QWebSocket *socket)
{
    QString endpoint;
    const SandboxJob *job = jobOf(subPath, &endpoint);
    if (!job) {
        socket->close(QWebSocketProtocol::CloseCodeDatatypeNotSupported, QStringLiteral("no such job"));
        return;
    }
    if (endpoint == QLatin1String("top")) {
        serveTop(job->id, socket);
        return;
    }
    LogParams params;
    QString error;
    parseLogParams(request, &params, &error);
    LogStreamer::Options options;
    options.timestamps = params.timestamps;
    options.sinceTimestamp = params.sinceTimestamp;
    options.separator = params.separator;
    options.archiveCutoff = SimClock::logTimestamp(m_context.state.clock().nowNs() - params.archiveDelayNs);
    options.jobActive = job->isActive();
    options.dropAfterBytes = m_context.state.faults().settings().dropLogsEveryBytes;
    new LogStreamer(m_context.registry.logOf(job->id), socket, options);
}

void MonitoringApi::serveTop(const QString &jobId, QWebSocket *socket)
{
    QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    auto *timer = new QTimer(socket);
    SandboxState *state = &m_context.state;
    JobRegistry *registry = &m_context.registry;
    // One sample per simulated second, while the job runs; closes when it finished.
    timer->setInterval(std::max(20, int(1000.0 / state->clock().speed())));
    QObject::connect(timer, &QTimer::timeout, socket, [state, registry, jobId, socket, timer] {
        const SandboxJob *job = registry->find(jobId);
        if (!job || job->isFinished()) {
            timer->stop();
            socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("job finished"));
            return;
        }
        if (job->status() != QLatin1String("running"))
            return;
        const QJsonObject resources = job->container.value(QLatin1String("resources")).toObject();
        const qint64 memoryLimit = resources.value(QLatin1String("memory")).toInteger();
        QRandomGenerator *random = QRandomGenerator::global();
        const qint64 memory = qint64(double(memoryLimit) * (0.08 + 0.04 * random->generateDouble()));
        QJsonObject sample{{QStringLiteral("cpu"),
                            resources.value(QLatin1String("cpu")).toDouble() * (0.05 + 0.1 * random->generateDouble())},
                           {QStringLiteral("memory"), memory / (1024 * 1024)},
                           {QStringLiteral("memory_bytes"), memory},
                           {QStringLiteral("timestamp"), double(state->clock().nowNs()) / 1e9}};
        if (resources.value(QLatin1String("nvidia_gpu")).toInt() > 0) {
            const Preset *preset = state->presets().find(job->presetName);
            const qint64 gpuMemory = preset ? preset->gpuMemoryBytes : 0;
            const Workload *workload = registry->workloadOf(jobId);
            const bool serving = workload && workload->servingPort() > 0;
            // vLLM reserves gpu_memory_utilization (0.9) of each GPU once the model is loaded.
            const qint64 used = qint64(double(gpuMemory) * (serving ? 0.9 : 0.02));
            sample.insert(QStringLiteral("gpu_duty_cycle"), serving ? 20 + random->bounded(60) : 0);
            sample.insert(QStringLiteral("gpu_memory"), used / (1024 * 1024));
            sample.insert(QStringLiteral("gpu_memory_bytes"), used);
        }
        socket->sendTextMessage(QString::fromUtf8(QJsonDocument(sample).toJson(QJsonDocument::Compact)));
    });
    timer->start();
}

} // namespace ApoloDeploy::Sandbox
