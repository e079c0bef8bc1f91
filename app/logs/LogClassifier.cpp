// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/LogClassifier.h"

#include "logs/LogHeaderParser.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace ApoloDeploy::Logs {

namespace {

// Prompt dumps ("Received request … prompt_token_ids: [...]") can be megabytes long; every
// pattern we know sits near the start of a message.
constexpr qsizetype maxMatchChars = 16 * 1024;
constexpr qsizetype maxWarnings = 50;

QString truncatedForDisplay(QString text, qsizetype limit)
{
    if (text.size() <= limit)
        return text;
    const qsizetype more = text.size() - limit;
    text.truncate(limit);
    return text + QCoreApplication::translate("Logs", " … [%n more characters; Save full log keeps the whole line]",
                                              nullptr, int(qMin<qsizetype>(more, INT_MAX)));
}

// Per-request lines make up nearly all of a serving log, and none of them is a launch phase or
// a failure. The request logger also quotes user prompts, which must never be read as the
// server's own errors ("prompt: 'what does NCCL error: unhandled system error mean?'").
bool isRequestLine(QStringView message)
{
    // vLLM's request logger and engine (0.7.x and V1).
    for (const QLatin1StringView prefix :
         {QLatin1StringView("Received request "), QLatin1StringView("Added request "),
          QLatin1StringView("Finished request "), QLatin1StringView("Aborted request ")}) {
        if (message.startsWith(prefix))
            return true;
    }
    // uvicorn's access log: 10.0.0.5:51234 - "POST /v1/chat/completions HTTP/1.1" 200 OK
    const qsizetype dash = message.first(qMin<qsizetype>(message.size(), 64)).indexOf(QLatin1StringView(" - \""));
    return dash > 0 && message.sliced(dash).contains(QLatin1StringView(" HTTP/"));
}

} // namespace

LogLine LogClassifier::classify(QStringView raw, qint64 number, qint64 platformTimestampNs)
{
    ++m_linesSeen;
    NormalizedLine normalized = m_normalizer.normalize(raw);
    if (normalized.timestampNs == 0)
        normalized.timestampNs = platformTimestampNs;
    LogLine line;
    line.number = number;
    line.timestampNs = normalized.timestampNs;
    line.source = normalized.source;
    line.repeat = normalized.repeat;

    const QStringView text = QStringView(normalized.text).first(qMin(normalized.text.size(), maxMatchChars));
    const LogHeader header = parseLogHeader(text);
    line.level = header.level;
    if (header.format != LogHeader::Format::None)
        m_inTraceback = false;
    if (header.message.startsWith(QLatin1String("Traceback (most recent call last):")))
        m_inTraceback = true;
    if (m_inTraceback && line.level == LogLevel::Unknown)
        line.level = LogLevel::Error;

    if (m_recent.size() < failureContextLines) {
        m_recent.append(normalized.text.left(1024));
    } else {
        m_recent[m_recentNext] = normalized.text.left(1024);
        m_recentNext = (m_recentNext + 1) % failureContextLines;
    }

    if (const auto stats = recognizeStats(header.message)) {
        m_stats.append({number, normalized.timestampNs, *stats});
        if (m_stats.size() > 2 * maxStatsPoints)
            m_stats.remove(0, m_stats.size() - maxStatsPoints);
        ++m_revision;
    } else if (isRequestLine(header.message)) {
        // Nothing to learn from it (see isRequestLine).
    } else if (const auto phase = recognizePhase(header.message)) {
        applyPhase(*phase, number);
    } else if (auto diagnosis = diagnoseMessage(header.message, context())) {
        if (diagnosis->fatal && line.level < LogLevel::Error)
            line.level = LogLevel::Error;
        m_inTraceback = false;
        applyDiagnosis(std::move(*diagnosis), number);
    }
    line.text = truncatedForDisplay(std::move(normalized.text), maxDisplayChars);
    return line;
}

void LogClassifier::applyPhase(const PhaseEvent &event, qint64 number)
{
    ++m_revision;
    // A second banner after the server was up means the container restarted: a new launch.
    if (event.phase == Phase::ApiServerStarting && m_current && *m_current >= Phase::EngineReady &&
        event.values.contains(QStringLiteral("version"))) {
        m_phases.clear();
        m_current.reset();
        m_ready = false;
        m_loadingPercent.reset();
        m_graphPercent.reset();
        m_routes.clear();
    }
    auto record = std::find_if(m_phases.begin(), m_phases.end(),
                               [&event](const PhaseRecord &r) { return r.phase == event.phase; });
    if (record == m_phases.end()) {
        m_phases.append({event.phase, number, {}});
        record = m_phases.end() - 1;
    }
    for (auto it = event.values.constBegin(); it != event.values.constEnd(); ++it)
        record->values.insert(it.key(), it.value());
    if (!m_current || event.phase > *m_current)
        m_current = event.phase;

    const QVariantMap &v = event.values;
    const auto has = [&v](const char *key) { return v.contains(QLatin1String(key)); };
    const auto get = [&v](const char *key) { return v.value(QLatin1String(key)); };
    switch (event.phase) {
    case Phase::ApiServerStarting:
    case Phase::EngineConfig:
        for (auto it = v.constBegin(); it != v.constEnd(); ++it)
            m_engine.insert(it.key(), it.value());
        break;
    case Phase::LoadingWeights:
        if (has("percent")) {
            m_loadingPercent = get("percent").toInt();
            m_loadingEta = get("eta").toString();
        } else if (!m_loadingPercent) {
            m_loadingPercent = 0;
        }
        break;
    case Phase::WeightsLoaded:
        m_loadingPercent = 100;
        m_loadingEta.clear();
        updateMetric(QStringLiteral("weightsGiB"), get("weightsGiB"), false, true);
        updateMetric(QStringLiteral("loadSeconds"), get("loadSeconds"), false, true);
        break;
    case Phase::MemoryProfiling:
        updateMetric(QStringLiteral("weightsGiB"), get("weightsGiB"), false, true);
        // Every worker prints its own report; vLLM sizes the cache by the weakest one.
        updateMetric(QStringLiteral("kvCacheGiB"), get("kvCacheGiB"), true, false);
        for (const char *key : {"totalGpuMemoryGiB", "gpuMemoryUtilization", "budgetGiB", "cudaGraphEstimateGiB"})
            updateMetric(QString::fromLatin1(key), get(key), false, false);
        updateMetric(QStringLiteral("nonTorchGiB"), get("nonTorchGiB"), false, true);
        updateMetric(QStringLiteral("activationPeakGiB"), get("activationPeakGiB"), false, true);
        break;
    case Phase::KvCacheAllocated:
        updateMetric(QStringLiteral("kvCacheGiB"), get("kvCacheGiB"), true, false);
        for (const char *key : {"gpuBlocks", "cpuBlocks", "kvCacheTokens", "maxConcurrency", "tokensPerRequest"})
            updateMetric(QString::fromLatin1(key), get(key), false, false);
        break;
    case Phase::CudaGraphs:
        if (has("percent"))
            m_graphPercent = get("percent").toInt();
        if (has("graphGiB"))
            m_graphPercent = 100;
        updateMetric(QStringLiteral("cudaGraphGiB"), get("graphGiB"), false, true);
        if (has("eager"))
            m_metrics.insert(QStringLiteral("eager"), true);
        break;
    case Phase::EngineReady:
        updateMetric(QStringLiteral("engineInitSeconds"), get("engineInitSeconds"), false, false);
        break;
    case Phase::Routes:
        if (has("route") && m_routes.size() < 256)
            m_routes.append(get("route").toString());
        break;
    case Phase::Ready: m_ready = true; break;
    default: break;
    }
}

void LogClassifier::updateMetric(const QString &key, const QVariant &value, bool keepMinimum, bool keepMaximum)
{
    if (!value.isValid())
        return;
    const auto existing = m_metrics.constFind(key);
    if (existing != m_metrics.constEnd()) {
        if (keepMinimum && existing->toDouble() <= value.toDouble())
            return;
        if (keepMaximum && existing->toDouble() >= value.toDouble())
            return;
    }
    m_metrics.insert(key, value);
}

void LogClassifier::applyDiagnosis(Diagnosis diagnosis, qint64 number)
{
    ++m_revision;
    diagnosis.line = number;
    // Once the server is up, an unexplained traceback is usually one bad request, not a crash.
    if (diagnosis.kind == QLatin1String("exception") && m_ready)
        diagnosis.fatal = false;
    if (!diagnosis.fatal) {
        if (m_warnings.size() < maxWarnings &&
            std::none_of(m_warnings.cbegin(), m_warnings.cend(),
                         [&diagnosis](const Diagnosis &w) { return w.kind == diagnosis.kind; }))
            m_warnings.append(std::move(diagnosis));
        return;
    }
    // The same failure often prints twice (the log line, then the traceback's last line); the
    // later one may carry more detail (the gated repo's name), the earlier one keeps its line.
    if (m_failure && !diagnosis.secondary && m_failure->kind == diagnosis.kind) {
        diagnosis.line = m_failure->line;
        m_failure = std::move(diagnosis);
        return;
    }
    const bool replace = !m_failure || (m_failure->secondary && !diagnosis.secondary);
    if (!replace)
        return;
    m_failureContext.clear();
    for (qsizetype i = 0; i < m_recent.size(); ++i)
        m_failureContext.append(m_recent[(m_recentNext + i) % m_recent.size()]);
    m_failure = std::move(diagnosis);
}

DiagnosisContext LogClassifier::context() const
{
    DiagnosisContext context;
    context.phaseKnown = m_current.has_value();
    context.phase = m_current.value_or(Phase::RayStarted);
    context.engine = m_engine;
    context.totalGpuMemoryGiB = m_metrics.value(QStringLiteral("totalGpuMemoryGiB")).toDouble();
    return context;
}

QVariantMap LogClassifier::metrics() const
{
    QVariantMap out = m_metrics;
    // V0 prints blocks, not tokens: tokens = blocks x block size (16 unless --block-size says otherwise).
    if (!out.contains(QStringLiteral("kvCacheTokens")) && out.contains(QStringLiteral("gpuBlocks"))) {
        const qint64 blockSize = m_engine.value(QStringLiteral("blockSize"), 16).toLongLong();
        out.insert(QStringLiteral("kvCacheTokens"), out.value(QStringLiteral("gpuBlocks")).toLongLong() * blockSize);
    }
    return out;
}

QJsonObject LogClassifier::toJson() const
{
    QJsonArray phases;
    for (const PhaseRecord &record : m_phases) {
        phases.append(QJsonObject{{QStringLiteral("name"), phaseId(record.phase)},
                                  {QStringLiteral("line"), record.firstLine},
                                  {QStringLiteral("values"), QJsonObject::fromVariantMap(record.values)}});
    }
    const auto diagnosisJson = [](const Diagnosis &d) {
        return QJsonObject{{QStringLiteral("kind"), d.kind},
                           {QStringLiteral("title"), d.title},
                           {QStringLiteral("message"), d.message},
                           {QStringLiteral("line"), d.line},
                           {QStringLiteral("hint"), d.hint},
                           {QStringLiteral("fatal"), d.fatal},
                           {QStringLiteral("values"), QJsonObject::fromVariantMap(d.values)}};
    };
    QJsonArray warnings;
    for (const Diagnosis &warning : m_warnings)
        warnings.append(diagnosisJson(warning));
    QJsonObject json{
        {QStringLiteral("ready"), isReady()},
        {QStringLiteral("lines"), m_linesSeen},
        {QStringLiteral("phase"), m_current ? QJsonValue(phaseId(*m_current)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("phases"), phases},
        {QStringLiteral("progress"), m_loadingPercent ? QJsonValue(*m_loadingPercent) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("failure"), m_failure ? QJsonValue(diagnosisJson(*m_failure)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("warnings"), warnings},
        {QStringLiteral("metrics"), QJsonObject::fromVariantMap(metrics())},
        {QStringLiteral("engine"), QJsonObject::fromVariantMap(m_engine)},
        {QStringLiteral("routes"), QJsonArray::fromStringList(m_routes)},
    };
    if (!m_stats.isEmpty()) {
        const StatsSample &last = m_stats.constLast().sample;
        json.insert(QStringLiteral("lastStats"),
                    QJsonObject{{QStringLiteral("promptTokensPerSecond"), last.promptTokensPerSecond},
                                {QStringLiteral("generationTokensPerSecond"), last.generationTokensPerSecond},
                                {QStringLiteral("running"), last.running},
                                {QStringLiteral("waiting"), last.waiting},
                                {QStringLiteral("kvCacheUsagePercent"), last.kvCacheUsagePercent}});
    }
    return json;
}

} // namespace ApoloDeploy::Logs
