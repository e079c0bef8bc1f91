// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>
#include <QStringView>

namespace ApoloDeploy::Logs {

// A raw container line taken apart (vllm.md §4.1 and apolo-api.md §5.1).
struct NormalizedLine
{
    qint64 timestampNs = 0; // from the platform's "YYYY-MM-DDTHH:MM:SS.fffffffffZ " prefix, 0 = none
    QString source;         // process prefixes joined with " / ", empty for the driver process
    QString text;           // what is left: the program's own line, e.g. "INFO 02-05 10:00:00 x.py:1] msg"
    quint32 repeat = 1;     // Ray dedup "[repeated Nx across cluster]"
};

// Turns one raw line (no trailing '\n') into a NormalizedLine:
//  - the platform timestamp prefix becomes timestampNs;
//  - ANSI escape sequences are removed (Ray and newer vLLM colour their prefixes);
//  - '\r' redraws (tqdm bars that are not vLLM's own) keep only the last non-empty segment;
//  - process prefixes "(RayWorkerWrapper pid=…, ip=…)", "(VllmWorker rank=0 pid=…)", "(pid=…)",
//    "(autoscaler +6s)" become the source, possibly several;
//  - Ray's dedup suffix becomes a repeat count.
// Pure apart from interning sources so that 100k lines from a few processes share a few strings.
class LineNormalizer
{
public:
    NormalizedLine normalize(QStringView raw);

    // Parses "2021-08-13T09:23:00.123456789Z" (1 to 9 fraction digits or none); 0 if it is not one.
    static qint64 parsePlatformTimestamp(QStringView text);
    // The inverse, with nine fraction digits.
    static QString formatPlatformTimestamp(qint64 timestampNs);
    // Length of the "…Z " prefix at the start of raw (including the space), 0 if there is none.
    static qsizetype platformTimestampPrefixLength(QStringView raw);
    static QString stripAnsi(QStringView text);

private:
    QString intern(const QString &source);
    QHash<QString, QString> m_sources;
};

} // namespace ApoloDeploy::Logs
