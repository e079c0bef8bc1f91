// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ApoloDeploy::Sandbox {

// One entry of a job's status history, as the API reports it in `statuses`.
struct StatusTransition
{
    QString status;      // pending, suspended, running, succeeded, failed, cancelled
    QString reason;      // empty = null
    QString description; // empty = null
    qint64 timeNs = 0;
    std::optional<int> exitCode;
};

// Everything the sandbox knows about one job. The JSON is built on every GET so that run
// time and price follow the simulated clock.
struct SandboxJob
{
    QString id;
    QString name;
    QString owner;
    QString clusterName;
    QString orgName;
    QString projectName;
    QString namespaceName;
    QString orgProjectHash;
    QString description;
    QStringList tags;
    QString presetName;
    QString pricePerHour;  // decimal string
    QJsonObject container; // the container object as the API returns it (resources filled in)
    std::optional<int> maxRunTimeMinutes;
    std::optional<double> scheduleTimeout;
    QString restartPolicy = QStringLiteral("never");
    QString priority = QStringLiteral("normal");
    bool passConfig = false;
    bool privileged = false;
    QString energyScheduleName;
    QHash<QString, QString> secretEnvUris; // env name -> secret:// URI
    bool imageExists = true;

    QList<StatusTransition> statuses;
    qint64 createdNs = 0;
    qint64 startedNs = 0;      // first time running, 0 = never
    qint64 finishedNs = 0;     // 0 = not finished
    double runSeconds = 0;     // simulated seconds spent running so far (before the current stint)
    qint64 runningSinceNs = 0; // start of the current running stint, 0 = not running
    int restarts = 0;
    quint16 ingressPort = 0; // loopback port serving http_url, 0 = none

    const StatusTransition &current() const { return statuses.constLast(); }
    QString status() const { return current().status; }
    bool isActive() const;
    bool isFinished() const { return !isActive(); }
    double runTimeSeconds(qint64 nowNs) const;
    QString totalPriceCredits(qint64 nowNs) const;
    int httpPort() const; // -1 = no http section
    QString internalHostname() const;
    QString internalHostnameNamed() const;

    QJsonObject toJson(qint64 nowNs) const;
    // Persistence (--state): everything above, not the API shape.
    QJsonObject toStateJson() const;
    static SandboxJob fromStateJson(const QJsonObject &json);
};

// Decimal string like the API's (no float exponent, trailing zeros trimmed).
QString decimalString(double value);

} // namespace ApoloDeploy::Sandbox
