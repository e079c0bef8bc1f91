// SPDX-License-Identifier: GPL-3.0-or-later
// `apolo-deploy chat --json` against a vLLM server job in apolo-sandbox, in every reasoning shape
// its emulator produces (vllm.md §3): inline <think> with and without the opening tag,
// delta.reasoning_content, delta.reasoning, and vLLM 0.7.2's parser with the pre-filled template.
#include "support/CliRunner.h"
#include "support/SandboxFixture.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace ApoloDeploy;
using Test::cliPath;
using Test::CliRun;
using Test::runCli;

namespace {

constexpr const char *thinkingMarker = "Let me plan it";
constexpr const char *answerMarker = "This reply comes from";

} // namespace

class TestChatCli : public QObject
{
    Q_OBJECT

private:
    // Fast startup and a fast "model", so every reasoning shape fits well inside the test budget.
    Test::SandboxFixture m_sandbox{
        Test::SandboxFixture::Options{1000, {}, {}, {QStringLiteral("--token-rate"), QStringLiteral("4000")}}};

    // Starts a one-GPU vLLM server job and waits until /v1/models answers; returns its base URL.
    QString startServer(const QString &name, const QString &extraArgs, const QJsonObject &env)
    {
        const QString command =
            QStringLiteral("--model deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B --served-model-name r1 "
                           "--max-model-len 8192 ") +
            extraArgs;
        const auto reply =
            m_sandbox.createJob({{QStringLiteral("name"), name},
                                 {QStringLiteral("image"), QStringLiteral("vllm/vllm-openai:v0.7.2")},
                                 {QStringLiteral("command"), command},
                                 {QStringLiteral("preset_name"), QStringLiteral("gpu-h100x1")},
                                 {QStringLiteral("env"), env},
                                 {QStringLiteral("http"), QJsonObject{{QStringLiteral("port"), 8000},
                                                                      {QStringLiteral("requires_auth"), false}}}});
        if (reply.status != 202) {
            qWarning() << "job creation failed" << reply.status << reply.body;
            return {};
        }
        const QString jobId = reply.json().value(QLatin1String("id")).toString();
        const QJsonObject job = m_sandbox.waitForStatus(jobId, QStringLiteral("running"), 20000);
        const QString url = job.value(QLatin1String("http_url")).toString();
        if (url.isEmpty())
            return {};
        const bool serving = QTest::qWaitFor(
            [this, url] {
                return m_sandbox.send("GET", url + QStringLiteral("/v1/models"), {}, {}, false).status == 200;
            },
            25000);
        if (!serving)
            qWarning().noquote() << "vLLM never served; sandbox output:\n" << m_sandbox.processOutput().right(3000);
        return serving ? url : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFile::exists(cliPath()))
            QSKIP("apolo-deploy is not built");
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
    }

    void reasoningShapes_data()
    {
        QTest::addColumn<QString>("args");
        QTest::addColumn<QJsonObject>("env");
        QTest::addColumn<bool>("boundaryMissing");
        QTest::newRow("inline-no-opening-tag")
            << QString() << QJsonObject{{QStringLiteral("APOLO_SANDBOX_THINK_PREFILL"), QStringLiteral("1")}} << false;
        QTest::newRow("inline-with-opening-tag")
            << QString() << QJsonObject{{QStringLiteral("APOLO_SANDBOX_THINK_PREFILL"), QStringLiteral("0")}} << false;
        QTest::newRow("reasoning_content")
            << QStringLiteral("--enable-reasoning --reasoning-parser deepseek_r1") << QJsonObject() << false;
        QTest::newRow("reasoning") << QStringLiteral("--enable-reasoning --reasoning-parser deepseek_r1")
                                   << QJsonObject{{QStringLiteral("APOLO_SANDBOX_REASONING_FIELD"),
                                                   QStringLiteral("reasoning")}}
                                   << false;
        QTest::newRow("v0.7.2-parser-bug")
            << QStringLiteral("--enable-reasoning --reasoning-parser deepseek_r1")
            << QJsonObject{{QStringLiteral("APOLO_SANDBOX_R1_PARSER_BUG"), QStringLiteral("1")},
                           {QStringLiteral("APOLO_SANDBOX_THINK_PREFILL"), QStringLiteral("1")}}
            << true;
    }

    void reasoningShapes()
    {
        QFETCH(QString, args);
        QFETCH(QJsonObject, env);
        QFETCH(bool, boundaryMissing);
        const QString url = startServer(QStringLiteral("chat-") + QString::fromLatin1(QTest::currentDataTag())
                                                                      .replace(QLatin1Char('.'), QLatin1Char('-'))
                                                                      .replace(QLatin1Char('_'), QLatin1Char('-')),
                                        args, env);
        QVERIFY(!url.isEmpty());
        const CliRun run = runCli({QStringLiteral("chat"), QStringLiteral("--endpoint"), url, QStringLiteral("--json"),
                                   QStringLiteral("--max-tokens"), QStringLiteral("2048"),
                                   QStringLiteral("Which is larger, 9.11 or 9.8?")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject result = run.json();
        QCOMPARE(result.value(QLatin1String("finish_reason")).toString(), QStringLiteral("stop"));
        QVERIFY(!result.value(QLatin1String("content")).toString().isEmpty());
        QVERIFY(!result.value(QLatin1String("content")).toString().contains(QLatin1String("</think>")));
        QVERIFY(!result.value(QLatin1String("content")).toString().contains(QLatin1String("<think>")));
        QVERIFY(result.value(QLatin1String("usage")).toObject().value(QLatin1String("completion_tokens")).toInt() > 0);
        QVERIFY(result.value(QLatin1String("ttft_ms")).toDouble() >= 0);
        QVERIFY(result.value(QLatin1String("tokens_per_s")).toDouble() > 0);
        QCOMPARE(result.value(QLatin1String("thinking_boundary_missing")).toBool(), boundaryMissing);
        // The sandbox's thinking says "Let me plan it"; its answer starts "This reply comes from".
        const QString reasoning = result.value(QLatin1String("reasoning")).toString();
        const QString content = result.value(QLatin1String("content")).toString();
        if (boundaryMissing) {
            // Nothing marks the end of the thinking: nothing is lost, all of it is the answer.
            QVERIFY(reasoning.isEmpty());
            QVERIFY(content.contains(QLatin1String(thinkingMarker)));
            QVERIFY(content.contains(QLatin1String(answerMarker)));
        } else {
            QVERIFY2(reasoning.contains(QLatin1String(thinkingMarker)), run.out.constData());
            QVERIFY2(!reasoning.contains(QLatin1String(answerMarker)), run.out.constData());
            QVERIFY2(content.trimmed().startsWith(QLatin1String(answerMarker)), run.out.constData());
            QVERIFY2(!content.contains(QLatin1String(thinkingMarker)), run.out.constData());
        }
    }

    void unknownModel_exitsNonZeroWithTheServersMessage_data()
    {
        QTest::addColumn<QJsonObject>("env");
        QTest::newRow("flat-error-0.7.2") << QJsonObject();
        QTest::newRow("nested-error-0.10.1")
            << QJsonObject{{QStringLiteral("APOLO_SANDBOX_VLLM_ERRORS"), QStringLiteral("nested")}};
    }

    void unknownModel_exitsNonZeroWithTheServersMessage()
    {
        QFETCH(QJsonObject, env);
        const QString name = QStringLiteral("chat-unknown-") +
                             QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char('.'), QLatin1Char('-'));
        const QString url = startServer(name, QString(), env);
        QVERIFY(!url.isEmpty());
        const CliRun run = runCli({QStringLiteral("chat"), QStringLiteral("--endpoint"), url, QStringLiteral("--model"),
                                   QStringLiteral("no-such-model"), QStringLiteral("hi")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("does not exist"), run.err.constData());
    }

    void extraFields_reachTheServer()
    {
        const QString url = startServer(QStringLiteral("chat-extra"),
                                        QStringLiteral("--enable-reasoning --reasoning-parser deepseek_r1"), {});
        QVERIFY(!url.isEmpty());
        // ignore_eos makes the sandbox write until max tokens: proof the field arrived.
        const CliRun run = runCli({QStringLiteral("chat"), QStringLiteral("--endpoint"), url, QStringLiteral("--json"),
                                   QStringLiteral("--max-tokens"), QStringLiteral("600"), QStringLiteral("--extra"),
                                   QStringLiteral("{\"ignore_eos\": true}"), QStringLiteral("Hello")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.json().value(QLatin1String("finish_reason")).toString(), QStringLiteral("length"));
        QCOMPARE(run.json().value(QLatin1String("usage")).toObject().value(QLatin1String("completion_tokens")).toInt(),
                 600);

        const CliRun bad = runCli({QStringLiteral("chat"), QStringLiteral("--endpoint"), url, QStringLiteral("--extra"),
                                   QStringLiteral("[1]"), QStringLiteral("Hello")});
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.contains("--extra must be a JSON object"), bad.err.constData());
    }

    void streamToStdoutAndThinkingToStderr()
    {
        const QString url = startServer(QStringLiteral("chat-plain"),
                                        QStringLiteral("--enable-reasoning --reasoning-parser deepseek_r1"), {});
        QVERIFY(!url.isEmpty());
        const CliRun run = runCli({QStringLiteral("chat"), QStringLiteral("--endpoint"), url, QStringLiteral("Hello")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(answerMarker), run.out.constData());
        QVERIFY(!run.out.contains(thinkingMarker));
        QVERIFY2(run.err.contains(thinkingMarker), run.err.constData());
        QVERIFY(!run.err.contains(answerMarker));
    }
};

QTEST_GUILESS_MAIN(TestChatCli)
#include "tst_chatcli.moc"
