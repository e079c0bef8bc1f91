// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/workloads/CompletionStream.h"

#include "sandbox/HttpServer.h"
#include "sandbox/workloads/VllmApiService.h"

#include <algorithm>

namespace ApoloDeploy::Sandbox {

namespace {

constexpr qint64 kMaxPendingBytes = 512 * 1024; // pause decoding while the client reads slowly

} // namespace

CompletionStream::CompletionStream(VllmApiService *service, HttpResponder *responder, GenerationPlan plan)
    : QObject(service)
    , m_service(service)
    , m_responder(responder)
    , m_plan(std::move(plan))
    , m_shaper(service->config().reasoning)
    , m_emitted(m_plan.choices.size(), 0)
    , m_finished(m_plan.choices.size(), false)
{
    connect(&m_timer, &QTimer::timeout, this, &CompletionStream::tick);
    if (responder)
        connect(responder, &HttpResponder::disconnected, this, &CompletionStream::abort);
}

void CompletionStream::start()
{
    m_clock.start();
    // Prefill: the whole prompt in one forward pass, much faster per token than decoding.
    const double rate = std::max(1.0, m_service->config().host ? m_service->config().host->tokenRate() : 50.0);
    const int prefillMs = std::clamp(int(m_plan.promptTokens * 1000.0 / (rate * 40.0)), 5, 2000);
    m_service->metrics().addPromptTokens(m_plan.promptTokens);
    QTimer::singleShot(prefillMs, this, &CompletionStream::beginDecoding);
}

qint64 CompletionStream::tokensInCache() const
{
    return m_plan.promptTokens + generatedTokens();
}

int CompletionStream::generatedTokens() const
{
    int total = 0;
    for (int emitted : m_emitted)
        total += emitted;
    return total;
}

std::optional<TokenUsage> CompletionStream::runningUsage() const
{
    if (!m_plan.continuousUsage)
        return std::nullopt;
    return TokenUsage{m_plan.promptTokens, generatedTokens()};
}

void CompletionStream::beginDecoding()
{
    if (m_done)
        return;
    if (!m_responder) {
        abort();
        return;
    }
    m_prefilled = true;
    if (m_plan.stream) {
        m_responder->beginStream(200, "text/event-stream; charset=utf-8");
        m_service->accessLog(m_plan.method, m_plan.path, 200);
        if (m_plan.chat) {
            for (int i = 0; i < m_plan.choices.size(); ++i)
                m_responder->write(
                    SseFormatter::event(SseFormatter::chatRoleChunk(m_plan.identity, i, runningUsage())));
        }
    }
    m_decodeStartMs = m_clock.elapsed();
    const double rate = std::max(1.0, m_service->config().host ? m_service->config().host->tokenRate() : 50.0);
    m_timer.start(std::clamp(int(1000.0 / rate), 2, 100));
    tick();
}

void CompletionStream::tick()
{
    if (m_done)
        return;
    if (!m_responder || (m_plan.stream && !m_responder->isConnected())) {
        abort();
        return;
    }
    if (m_plan.stream && m_responder->pendingBytes() > kMaxPendingBytes)
        return;
    const double rate = std::max(1.0, m_service->config().host ? m_service->config().host->tokenRate() : 50.0);
    // Every choice decodes one token per engine step, at the configured steps per second.
    const int dueSteps = int((m_clock.elapsed() - m_decodeStartMs) * rate / 1000.0) + 1;
    bool anyRunning = false;
    for (int choice = 0; choice < m_plan.choices.size(); ++choice) {
        while (!m_finished.at(choice) && m_emitted.at(choice) < dueSteps) {
            if (!emitNextToken(choice))
                finishChoice(choice);
        }
        anyRunning = anyRunning || !m_finished.at(choice);
    }
    if (!anyRunning)
        complete();
}

bool CompletionStream::emitNextToken(int choice)
{
    const Generation &generation = m_plan.choices.at(choice);
    const int index = m_emitted.at(choice);
    if (index >= generation.tokens.size())
        return false;
    m_emitted[choice] = index + 1;
    m_service->metrics().addGenerationTokens(1);
    if (m_firstTokenSeconds < 0) {
        m_firstTokenSeconds = m_clock.elapsed() / 1000.0;
        m_service->metrics().observeTimeToFirstToken(m_firstTokenSeconds);
    }
    if (!m_plan.stream)
        return true;
    const GeneratedToken &token = generation.tokens.at(index);
    if (m_plan.chat) {
        const ShapedDelta delta = m_shaper.streamDelta(token);
        if (!delta.isEmpty())
            m_responder->write(SseFormatter::event(SseFormatter::chatDeltaChunk(
                m_plan.identity, choice, delta, m_service->config().reasoning.fieldName, runningUsage())));
    } else {
        m_responder->write(SseFormatter::event(
            SseFormatter::completionChunk(m_plan.identity, choice, token.text, {}, {}, runningUsage())));
    }
    return true;
}

void CompletionStream::finishChoice(int choice)
{
    m_finished[choice] = true;
    if (!m_plan.stream)
        return;
    const Generation &generation = m_plan.choices.at(choice);
    const QByteArray chunk =
        m_plan.chat ? SseFormatter::chatFinishChunk(m_plan.identity, choice, generation.finishReason,
                                                    generation.stopReason, runningUsage())
                    : SseFormatter::completionChunk(m_plan.identity, choice, QString(), generation.finishReason,
                                                    generation.stopReason, runningUsage());
    m_responder->write(SseFormatter::event(chunk));
}

void CompletionStream::complete()
{
    m_done = true;
    m_timer.stop();
    const TokenUsage usage{m_plan.promptTokens, generatedTokens()};
    if (m_plan.stream) {
        if (m_plan.includeUsage)
            m_responder->write(SseFormatter::event(SseFormatter::usageChunk(
                m_plan.identity, m_plan.chat ? "chat.completion.chunk" : "text_completion", usage)));
        m_responder->write(SseFormatter::done());
        m_responder->end();
    } else {
        QList<FinishedChoice> choices;
        for (const Generation &generation : std::as_const(m_plan.choices)) {
            FinishedChoice finished;
            finished.message = m_plan.chat ? m_shaper.message(generation) : ShapedMessage{{}, generation.rawText()};
            finished.finishReason = generation.finishReason;
            finished.stopReason = generation.stopReason;
            choices << finished;
        }
        const QByteArray body = m_plan.chat ? SseFormatter::chatCompletion(m_plan.identity, choices, usage,
                                                                           m_service->config().reasoning.fieldName)
                                            : SseFormatter::textCompletion(m_plan.identity, choices, usage);
        m_responder->respond(200, "application/json", body);
        m_service->accessLog(m_plan.method, m_plan.path, 200);
    }
    const double e2e = m_clock.elapsed() / 1000.0;
    if (usage.completionTokens > 1 && m_firstTokenSeconds >= 0)
        m_service->metrics().observeTimePerOutputToken((e2e - m_firstTokenSeconds) / (usage.completionTokens - 1));
    m_service->metrics().requestFinished(m_plan.choices.value(0).finishReason, e2e, usage.promptTokens,
                                         usage.completionTokens);
    m_service->streamFinished(this);
}

void CompletionStream::abort()
{
    if (m_done)
        return;
    m_done = true;
    m_timer.stop();
    m_service->log(QStringLiteral("INFO"), QStringLiteral("engine.py:289"),
                   QStringLiteral("Aborted request ") % m_plan.identity.id % QLatin1Char('.'));
    m_service->streamFinished(this);
}

} // namespace ApoloDeploy::Sandbox
