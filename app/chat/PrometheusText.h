// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

namespace ApoloDeploy {

struct PrometheusSample
{
    QString name; // e.g. "vllm:time_to_first_token_seconds_bucket"
    QList<QPair<QString, QString>> labels;
    double value = 0;

    QString label(const QString &key) const;
};

struct PrometheusScrape
{
    QList<PrometheusSample> samples;
    QHash<QString, QString> types; // metric family -> "counter", "gauge", "histogram", …
    int skippedLines = 0;          // lines that are neither comments nor valid samples
};

// Parses the Prometheus text exposition format (0.0.4, as prometheus_client writes it for
// vLLM's /metrics): "# TYPE"/"# HELP" comments, samples "name{l="v",…} value [timestamp]",
// escaped label values (\\, \", \n), NaN and ±Inf. Pure; malformed lines are counted, not fatal.
PrometheusScrape parsePrometheusText(QByteArrayView text);

} // namespace ApoloDeploy
