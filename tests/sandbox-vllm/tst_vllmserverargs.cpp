// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/VllmServerArgs.h"

#include <QTest>

using namespace ApoloDeploy::Sandbox;

class TestVllmServerArgs : public QObject
{
    Q_OBJECT

private:
    static VllmArgsParseResult parse(const QString &line, VllmEntrypoint entrypoint = VllmEntrypoint::ApiServerModule,
                                     const QHash<QString, QString> &env = {})
    {
        return parseVllmServerArgs(line.split(QLatin1Char(' '), Qt::SkipEmptyParts), entrypoint, env);
    }

private Q_SLOTS:
    void guideCommand_parsesEveryValue()
    {
        const auto result = parse(QStringLiteral(
            "--model cognitivecomputations/DeepSeek-R1-AWQ --tokenizer cognitivecomputations/DeepSeek-R1-AWQ "
            "--dtype=float16 --tensor-parallel-size=8 --pipeline-parallel-size=2 --trust-remote-code "
            "--max-model-len=128000 --enforce-eager"));
        QVERIFY2(result.ok, qPrintable(result.errorText));
        const VllmServerArgs &args = result.args;
        QCOMPARE(args.model, QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
        QCOMPARE(args.dtype, QStringLiteral("float16"));
        QCOMPARE(args.tensorParallel, 8);
        QCOMPARE(args.pipelineParallel, 2);
        QCOMPARE(args.worldSize(), 16);
        QCOMPARE(args.maxModelLen.value_or(0), 128000);
        QVERIFY(args.trustRemoteCode);
        QVERIFY(args.enforceEager);
        QCOMPARE(args.servedModelName(), args.model);
        QVERIFY(args.namespaceRepr().startsWith(QLatin1String("Namespace(host=None, port=8000, ")));
        QVERIFY(args.namespaceRepr().contains(QLatin1String("tensor_parallel_size=8")));
        QVERIFY(args.namespaceRepr().contains(QLatin1String("model='cognitivecomputations/DeepSeek-R1-AWQ'")));
    }

    void aliasesUnderscoresAndAbbreviations_areAccepted()
    {
        const auto result = parse(QStringLiteral("--model m/x -tp 4 -pp=2 --max_model_len 4096 --gpu-memory 0.95 "
                                                 "--served-model-name a b --kv-cache-dtype fp8"));
        QVERIFY2(result.ok, qPrintable(result.errorText));
        QCOMPARE(result.args.tensorParallel, 4);
        QCOMPARE(result.args.pipelineParallel, 2);
        QCOMPARE(result.args.maxModelLen.value_or(0), 4096);
        QCOMPARE(result.args.gpuMemoryUtilization, 0.95);
        QCOMPARE(result.args.servedModelNames, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(result.args.servedModelName(), QStringLiteral("a"));
        QCOMPARE(result.args.kvCacheDtype, QStringLiteral("fp8"));
    }

    void unknownArguments_failLikeArgparse()
    {
        const auto result = parse(QStringLiteral("--model m/x --foo bar"));
        QVERIFY(!result.ok);
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.errorText.startsWith(QLatin1String("usage: api_server.py [-h] [--host HOST] [--port PORT]")));
        QVERIFY(result.errorText.endsWith(QLatin1String("api_server.py: error: unrecognized arguments: --foo bar\n")));
        // argparse aligns continuation lines under the first option.
        QVERIFY(result.errorText.section(QLatin1Char('\n'), 1, 1)
                    .startsWith(QString(21, QLatin1Char(' ')) + QLatin1Char('[')));
    }

    void badValues_nameTheArgument()
    {
        QVERIFY(parse(QStringLiteral("--dtype fp17"))
                    .errorText.contains(QLatin1String("api_server.py: error: argument --dtype: invalid choice: 'fp17' "
                                                      "(choose from 'auto', 'half', 'float16', "
                                                      "'bfloat16', 'float', 'float32')")));
        QVERIFY(
            parse(QStringLiteral("--tensor-parallel-size eight"))
                .errorText.contains(QLatin1String("argument --tensor-parallel-size/-tp: invalid int value: 'eight'")));
        QVERIFY(parse(QStringLiteral("--port"))
                    .errorText.contains(QLatin1String("argument --port: expected one argument")));
        QVERIFY(parse(QStringLiteral("--block-size 12"))
                    .errorText.contains(QLatin1String("argument --block-size: invalid choice: 12 (choose from 8, 16")));
        QVERIFY(
            parse(QStringLiteral("--max 5")).errorText.contains(QLatin1String("ambiguous option: --max could match")));
    }

    void reasoningWithoutParser_raisesTypeError()
    {
        const auto result = parse(QStringLiteral("--model m/x --enable-reasoning"));
        QVERIFY(!result.ok);
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.errorText.startsWith(QLatin1String("Traceback (most recent call last):")));
        QVERIFY(result.errorText.endsWith(
            QLatin1String("TypeError: Error: --enable-reasoning requires --reasoning-parser\n")));
        QVERIFY(parse(QStringLiteral("--enable-reasoning --reasoning-parser deepseek_r1")).ok);
        QVERIFY(parse(QStringLiteral("--reasoning-parser qwen3"))
                    .errorText.contains(QLatin1String("invalid choice: 'qwen3' (choose from 'deepseek_r1')")));
    }

    void apiKey_comesFromFlagOrEnvironment()
    {
        QCOMPARE(parse(QStringLiteral("--api-key k1")).args.apiKey, QStringLiteral("k1"));
        const QHash<QString, QString> env{{QStringLiteral("VLLM_API_KEY"), QStringLiteral("k2")}};
        QCOMPARE(parse(QStringLiteral("--api-key k1"), VllmEntrypoint::ApiServerModule, env).args.apiKey,
                 QStringLiteral("k2"));
    }

    void vllmServe_takesThePositionalModelTag()
    {
        const auto result = parse(QStringLiteral("Qwen/QwQ-32B -tp 2"), VllmEntrypoint::VllmServe);
        QVERIFY2(result.ok, qPrintable(result.errorText));
        QCOMPARE(result.args.model, QStringLiteral("Qwen/QwQ-32B"));
        QVERIFY(result.args.namespaceRepr().startsWith(QLatin1String("Namespace(subparser='serve', "
                                                                     "model_tag='Qwen/QwQ-32B', config='', ")));
        const auto missing = parse(QStringLiteral("-tp 2"), VllmEntrypoint::VllmServe);
        QVERIFY(missing.errorText.contains(QLatin1String("vllm serve: error: the following arguments are required: "
                                                         "model_tag")));
        QVERIFY(parse(QStringLiteral("m --bogus"), VllmEntrypoint::VllmServe)
                    .errorText.contains(QLatin1String("vllm: error: unrecognized arguments: --bogus")));
    }
};

QTEST_GUILESS_MAIN(TestVllmServerArgs)
#include "tst_vllmserverargs.moc"
