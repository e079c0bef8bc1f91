// SPDX-License-Identifier: GPL-3.0-or-later
#include "logs/PythonValues.h"

#include <QHash>
#include <QRegularExpression>

namespace ApoloDeploy::Logs::PythonValues {

namespace {

const QHash<QString, QString> &interestingKeys()
{
    static const QHash<QString, QString> keys = {
        {QStringLiteral("model"), QStringLiteral("model")},
        {QStringLiteral("model_tag"), QStringLiteral("model")},
        {QStringLiteral("dtype"), QStringLiteral("dtype")},
        {QStringLiteral("max_seq_len"), QStringLiteral("maxModelLen")},
        {QStringLiteral("max_model_len"), QStringLiteral("maxModelLen")},
        {QStringLiteral("tensor_parallel_size"), QStringLiteral("tensorParallelSize")},
        {QStringLiteral("pipeline_parallel_size"), QStringLiteral("pipelineParallelSize")},
        {QStringLiteral("gpu_memory_utilization"), QStringLiteral("gpuMemoryUtilization")},
        {QStringLiteral("enforce_eager"), QStringLiteral("enforceEager")},
        {QStringLiteral("quantization"), QStringLiteral("quantization")},
        {QStringLiteral("kv_cache_dtype"), QStringLiteral("kvCacheDtype")},
        {QStringLiteral("served_model_name"), QStringLiteral("servedModelName")},
        {QStringLiteral("block_size"), QStringLiteral("blockSize")},
        {QStringLiteral("max_num_seqs"), QStringLiteral("maxNumSeqs")},
        {QStringLiteral("max_num_batched_tokens"), QStringLiteral("maxNumBatchedTokens")},
        {QStringLiteral("swap_space"), QStringLiteral("swapSpace")},
        {QStringLiteral("port"), QStringLiteral("port")},
        {QStringLiteral("trust_remote_code"), QStringLiteral("trustRemoteCode")},
        {QStringLiteral("distributed_executor_backend"), QStringLiteral("distributedBackend")},
    };
    return keys;
}

} // namespace

QVariant toVariant(QStringView text)
{
    text = text.trimmed();
    if (text.size() >= 2 && (text.front() == QLatin1Char('\'') || text.front() == QLatin1Char('"')) &&
        text.back() == text.front())
        return text.sliced(1, text.size() - 2).toString();
    if (text == QLatin1String("True"))
        return true;
    if (text == QLatin1String("False"))
        return false;
    if (text == QLatin1String("None"))
        return QVariant();
    if (text.startsWith(QLatin1String("torch.")))
        return text.sliced(6).toString();
    QString digits = text.toString();
    if (digits.contains(QLatin1Char(',')))
        digits.remove(QLatin1Char(','));
    bool ok = false;
    const qlonglong integer = digits.toLongLong(&ok);
    if (ok)
        return integer;
    const double real = digits.toDouble(&ok);
    if (ok)
        return real;
    return text.toString();
}

QVariantMap engineConfigValues(QStringView text)
{
    // A value is a quoted string, a bracketed list or dict, or anything up to the next ", ".
    static const QRegularExpression pair(
        QStringLiteral(R"((?:^|[,({]\s*)'?(\w+)'?(?:=|: )('[^']*'|"[^"]*"|\[[^\]]*\]|\{[^}]*\}|[^,)}]*))"));
    QVariantMap values;
    const QHash<QString, QString> &keys = interestingKeys();
    auto it = pair.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        const auto key = keys.constFind(match.captured(1));
        if (key == keys.constEnd() || values.contains(*key))
            continue;
        QStringView raw = match.capturedView(2).trimmed();
        if (raw.startsWith(QLatin1Char('[')) && raw.endsWith(QLatin1Char(']'))) {
            // served_model_name=['r1'] -> the first name
            raw = raw.sliced(1, raw.size() - 2);
            const qsizetype comma = raw.indexOf(QLatin1Char(','));
            raw = comma >= 0 ? raw.first(comma) : raw;
        }
        const QVariant value = toVariant(raw);
        if (value.isValid())
            values.insert(*key, value);
    }
    return values;
}

} // namespace ApoloDeploy::Logs::PythonValues
