// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/MetricsPoller.h"

#include "chat/OpenAiClient.h"

namespace ApoloDeploy {

MetricsPoller::MetricsPoller(OpenAiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, &MetricsPoller::poll);
    m_clock.start();
}

void MetricsPoller::start()
{
    if (m_timer.isActive())
        return;
    m_timer.start();
    poll();
}

void MetricsPoller::stop()
{
    m_timer.stop();
}

void MetricsPoller::reset()
{
    ++m_generation;
    m_inFlight = false;
    m_previous = {};
    m_points.clear();
    setError({});
}

void MetricsPoller::poll()
{
    if (m_inFlight || !m_client->endpoint().isValid())
        return;
    m_inFlight = true;
    const int generation = m_generation;
    m_client->getText(QStringLiteral("/metrics"), this, [this, generation](const TextResult &result) {
        if (generation != m_generation)
            return;
        m_inFlight = false;
        if (!result.error.isNull()) {
            setError(tr("Metrics unavailable: %1").arg(result.error.summary()));
            return;
        }
        // +1 so the very first scrape is never mistaken for "no previous scrape" (atMs 0).
        const ServingSnapshot snapshot =
            ServingSnapshot::fromScrape(parsePrometheusText(result.body), m_clock.elapsed() + 1);
        if (!snapshot.isValid()) {
            setError(tr("The server's /metrics has no vLLM series; charts need a vLLM server."));
            return;
        }
        setError({});
        const ServingPoint point = ServingPoint::between(m_previous, snapshot);
        m_previous = snapshot;
        m_points.push_back(point);
        while (int(m_points.size()) > m_maxPoints)
            m_points.pop_front();
        Q_EMIT pointAdded(point);
    });
}

void MetricsPoller::setError(const QString &message)
{
    if (message == m_lastError)
        return;
    m_lastError = message;
    Q_EMIT errorChanged(message);
}

} // namespace ApoloDeploy
