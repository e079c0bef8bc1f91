// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/ServingMetrics.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <deque>

namespace ApoloDeploy {

class OpenAiClient;

// Polls the deployment's /metrics (not under /v1 and not protected by --api-key) and turns
// successive scrapes into chart points. Keeps a bounded history (maxPoints).
class MetricsPoller final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsPoller)

public:
    explicit MetricsPoller(OpenAiClient *client, QObject *parent = nullptr);

    void setIntervalMs(int ms) { m_timer.setInterval(ms); }
    void setMaxPoints(int points) { m_maxPoints = std::max(2, points); }
    void start();
    void stop();
    bool isActive() const { return m_timer.isActive(); }
    // Forgets history, e.g. when the endpoint changes.
    void reset();

    const std::deque<ServingPoint> &points() const { return m_points; }
    QString lastError() const { return m_lastError; }
    QString modelName() const { return m_previous.modelName; }

Q_SIGNALS:
    void pointAdded(const ApoloDeploy::ServingPoint &point);
    // Empty when polling works again.
    void errorChanged(const QString &message);

private:
    void poll();
    void setError(const QString &message);

    OpenAiClient *m_client;
    QTimer m_timer;
    QElapsedTimer m_clock;
    ServingSnapshot m_previous;
    std::deque<ServingPoint> m_points;
    int m_maxPoints = 600;
    bool m_inFlight = false;
    int m_generation = 0; // drops answers from before reset()
    QString m_lastError;
};

} // namespace ApoloDeploy
