// SPDX-License-Identifier: GPL-3.0-or-later
#include "planner/StartupLogCalibration.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>
#include <QTextStream>

#include <algorithm>
#include <cmath>

namespace ApoloDeploy::Planner {

namespace {

double gib(qint64 bytes)
{
    return double(bytes) / double(kGiB);
}

qint64 integer(const QString &digits)
{
    return QString(digits).remove(QLatin1Char(',')).toLongLong();
}

template <typename T> std::optional<T> minOf(const QList<T> &values)
{
    if (values.isEmpty())
        return std::nullopt;
    return *std::min_element(values.begin(), values.end());
}

template <typename T> std::optional<T> maxOf(const QList<T> &values)
{
    if (values.isEmpty())
        return std::nullopt;
    return *std::max_element(values.begin(), values.end());
}

} // namespace

bool MeasuredMemory::isEmpty() const
{
    return modelLoadingGiB.isEmpty() && profiles.isEmpty() && availableKvCacheGiB.isEmpty() && !gpuBlocks &&
           !kvCacheTokens && !maxConcurrency;
}

MeasuredMemory parseStartupLog(const QString &log)
{
    static const QRegularExpression loading(
        QStringLiteral(R"((?:Loading model weights|Model loading) took ([\d.]+) (?:GB|GiB))"));
    static const QRegularExpression budget(
        QStringLiteral(R"(total_gpu_memory \(([\d.]+)GiB\) x gpu_memory_utilization \(([\d.]+)\) = ([\d.]+)GiB)"));
    static const QRegularExpression terms(QStringLiteral(
        R"(model weights take ([\d.]+)GiB; non_torch_memory takes ([\d.]+)GiB; PyTorch activation peak memory takes ([\d.]+)GiB; the rest of the memory reserved for KV Cache is (-?[\d.]+)GiB)"));
    static const QRegularExpression legacy(QStringLiteral(R"(Memory profiling results: (.*))"));
    static const QRegularExpression legacyPair(QStringLiteral(R"((\w+)=(-?[\d.]+)(?:GiB)?)"));
    static const QRegularExpression blocks(QStringLiteral(R"(# (?:GPU|CUDA|cuda) blocks: (\d+), # CPU blocks: (\d+))"));
    static const QRegularExpression concurrency(
        QStringLiteral(R"(Maximum concurrency for ([\d,]+) tokens per request: ([\d.]+)x)"));
    static const QRegularExpression available(QStringLiteral(R"(Available KV cache memory: ([\d.]+) GiB)"));
    static const QRegularExpression kvSize(QStringLiteral(R"(GPU KV cache size: ([\d,]+) tokens)"));
    static const QRegularExpression graphs(QStringLiteral(
        R"((?:Graph capturing finished in \d+ secs?, took|Estimated CUDA graph memory:) (-?[\d.]+) GiB)"));

    MeasuredMemory measured;
    WorkerMemoryProfile pending; // the budget line precedes the terms line of the same worker
    static const QRegularExpression lineBreak(QStringLiteral("[\r\n]"));
    for (const QString &line : log.split(lineBreak, Qt::SkipEmptyParts)) {
        QRegularExpressionMatch match;
        if ((match = loading.match(line)).hasMatch()) {
            measured.modelLoadingGiB << match.captured(1).toDouble();
        } else if ((match = budget.match(line)).hasMatch()) {
            pending.totalGpuGiB = match.captured(1).toDouble();
            pending.gpuMemoryUtilization = match.captured(2).toDouble();
            pending.budgetGiB = match.captured(3).toDouble();
        } else if ((match = terms.match(line)).hasMatch()) {
            pending.weightsGiB = match.captured(1).toDouble();
            pending.nonTorchGiB = match.captured(2).toDouble();
            pending.activationGiB = match.captured(3).toDouble();
            pending.kvCacheGiB = match.captured(4).toDouble();
            measured.profiles << pending;
            pending = {};
        } else if ((match = legacy.match(line)).hasMatch()) {
            WorkerMemoryProfile profile;
            auto pairs = legacyPair.globalMatch(match.captured(1));
            while (pairs.hasNext()) {
                const QRegularExpressionMatch pair = pairs.next();
                const QString key = pair.captured(1);
                const double value = pair.captured(2).toDouble();
                if (key == QLatin1String("total_gpu_memory"))
                    profile.totalGpuGiB = value;
                else if (key == QLatin1String("gpu_memory_utilization"))
                    profile.gpuMemoryUtilization = value;
                else if (key == QLatin1String("non_torch_memory"))
                    profile.nonTorchGiB = value;
                else if (key == QLatin1String("kv_cache_size"))
                    profile.kvCacheGiB = value;
                else if (key == QLatin1String("model_weights") || key == QLatin1String("weights_memory"))
                    profile.weightsGiB = value;
                else if (key == QLatin1String("peak_torch_memory"))
                    profile.activationGiB = value; // includes the weights in 0.6.x; see calibrate()
            }
            profile.budgetGiB = profile.totalGpuGiB * profile.gpuMemoryUtilization;
            measured.profiles << profile;
        } else if ((match = blocks.match(line)).hasMatch()) {
            measured.gpuBlocks = match.captured(1).toLongLong();
            measured.cpuBlocks = match.captured(2).toLongLong();
        } else if ((match = concurrency.match(line)).hasMatch()) {
            measured.concurrencyTokens = integer(match.captured(1));
            measured.maxConcurrency = match.captured(2).toDouble();
        } else if ((match = available.match(line)).hasMatch()) {
            measured.availableKvCacheGiB << match.captured(1).toDouble();
        } else if ((match = kvSize.match(line)).hasMatch()) {
            const qint64 tokens = integer(match.captured(1));
            measured.kvCacheTokens = measured.kvCacheTokens ? qMin(*measured.kvCacheTokens, tokens) : tokens;
        } else if ((match = graphs.match(line)).hasMatch()) {
            measured.cudaGraphGiB << match.captured(1).toDouble();
        }
    }
    return measured;
}

std::optional<double> CalibrationTerm::ratio() const
{
    if (!measured || planned == 0)
        return std::nullopt;
    return *measured / planned;
}

CalibrationReport calibrate(const MemoryPlan &plan, const MeasuredMemory &measured)
{
    QList<double> plannedWeights, plannedPools;
    double plannedActivation = 0, plannedNonTorch = 0, plannedGraphs = 0;
    for (const RankPlan &rank : plan.ranks) {
        plannedWeights << gib(rank.weightBytes);
        plannedPools << gib(rank.kvPoolBytes);
        plannedActivation = qMax(plannedActivation, gib(rank.activationBytes));
        plannedNonTorch = qMax(plannedNonTorch, gib(rank.nonTorchBytes));
        plannedGraphs = qMax(plannedGraphs, gib(rank.cudaGraphBytes));
    }
    QList<double> weights = measured.modelLoadingGiB, activation, nonTorch, pools = measured.availableKvCacheGiB;
    for (const WorkerMemoryProfile &profile : measured.profiles) {
        if (measured.modelLoadingGiB.isEmpty() && profile.weightsGiB > 0)
            weights << profile.weightsGiB;
        if (profile.weightsGiB > 0)
            activation << profile.activationGiB;
        nonTorch << profile.nonTorchGiB;
        if (measured.availableKvCacheGiB.isEmpty())
            pools << profile.kvCacheGiB;
    }
    CalibrationReport report;
    const QString giB = QStringLiteral("GiB");
    report.terms << CalibrationTerm{QStringLiteral("weights"), giB, maxOf(plannedWeights).value_or(0), maxOf(weights)}
                 << CalibrationTerm{QStringLiteral("activation"), giB, plannedActivation, maxOf(activation)}
                 << CalibrationTerm{QStringLiteral("non_torch"), giB, plannedNonTorch, maxOf(nonTorch)}
                 << CalibrationTerm{QStringLiteral("cuda_graphs"), giB, plannedGraphs, maxOf(measured.cudaGraphGiB)}
                 << CalibrationTerm{QStringLiteral("kv_cache"), giB, minOf(plannedPools).value_or(0), minOf(pools)};
    std::optional<double> tokens;
    if (measured.kvCacheTokens) {
        tokens = double(*measured.kvCacheTokens);
    } else if (measured.gpuBlocks && *measured.gpuBlocks > 0) {
        // 0.7.x prints blocks, not tokens. The block size it used shows in its concurrency line
        // (tokens = blocks x block size = concurrency x max-model-len): 16 for 0.7.2's MLA backend
        // where the planner assumes FlashMLA's 64. Take the power of two the log implies.
        qint64 blockSize = plan.blockSize;
        if (measured.maxConcurrency && measured.concurrencyTokens && *measured.concurrencyTokens > 0) {
            const double implied =
                *measured.maxConcurrency * double(*measured.concurrencyTokens) / double(*measured.gpuBlocks);
            for (qint64 candidate = 1; candidate <= 1024; candidate *= 2) {
                if (std::abs(implied - double(candidate)) < 0.02 * double(candidate))
                    blockSize = candidate;
            }
        }
        tokens = double(*measured.gpuBlocks * blockSize);
    }
    report.terms << CalibrationTerm{QStringLiteral("kv_tokens"), QStringLiteral("tokens"), double(plan.capacityTokens),
                                    tokens};
    // vLLM prints the concurrency for its own max-model-len; rescale ours to that length.
    std::optional<double> concurrency = measured.maxConcurrency;
    double plannedConcurrency = plan.maxConcurrency;
    if (measured.concurrencyTokens && *measured.concurrencyTokens > 0)
        plannedConcurrency = double(plan.capacityTokens) / double(*measured.concurrencyTokens);
    report.terms << CalibrationTerm{QStringLiteral("max_concurrency"), QStringLiteral("x"), plannedConcurrency,
                                    concurrency};
    return report;
}

QString CalibrationReport::text() const
{
    QString text;
    QTextStream out(&text);
    // Token counts as whole numbers with separators, concurrency as "13.29x", sizes in GiB.
    const QLocale numbers(QLocale::English);
    const auto format = [&numbers](double value, const QString &unit) -> QString {
        if (unit == QLatin1String("tokens"))
            return numbers.toString(qint64(std::llround(value))) + QLatin1String(" tokens");
        if (unit == QLatin1String("x"))
            return QString::number(value, 'f', 2) + u'x';
        return QString::number(value, 'f', 2) + u' ' + unit;
    };
    for (const CalibrationTerm &term : terms) {
        out << term.name.leftJustified(16)
            << QCoreApplication::translate("Planner", "planned %1").arg(format(term.planned, term.unit));
        if (term.measured) {
            const double difference = *term.measured - term.planned;
            out << QCoreApplication::translate("Planner", ", measured %1 (%2%3, x%4)")
                       .arg(format(*term.measured, term.unit))
                       .arg(difference >= 0 ? QStringLiteral("+") : QStringLiteral("-"))
                       .arg(format(std::abs(difference), term.unit))
                       .arg(term.ratio().value_or(0), 0, 'f', 3);
        } else {
            out << QCoreApplication::translate("Planner", ", not in the log");
        }
        out << '\n';
    }
    return text;
}

} // namespace ApoloDeploy::Planner
