// SPDX-License-Identifier: GPL-3.0-or-later
// The chat pane over a real loopback server: streaming, thinking section, endpoint card.
// With ADC_CHAT_SCREENSHOT=<file.png> it also saves a screenshot (run it under xvfb).
#include "LoopbackHttpServer.h"
#include "chat/ChatSession.h"
#include "chat/ChatWorkspace.h"
#include "support/SandboxFixture.h"
#include "support/TempConfig.h"
#include "ui/ChatPane.h"
#include "ui/chat/ChatComposer.h"
#include "ui/chat/EndpointCard.h"
#include "ui/chat/MessageListView.h"
#include "ui/chat/MessageWidget.h"
#include "ui/chat/ThinkingSection.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace ApoloDeploy;
using Server = Test::LoopbackHttpServer;

namespace {

QByteArray delta(const char *field, const QString &text)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("choices"),
                                      QJsonArray{QJsonObject{
                                          {QStringLiteral("index"), 0},
                                          {QStringLiteral("delta"), QJsonObject{{QLatin1String(field), text}}}}}}})
        .toJson(QJsonDocument::Compact);
}

QStringList thinkingPieces()
{
    return {QStringLiteral("The user compares 9.11 and 9.8. "),
            QStringLiteral("Compare tenths: 8 > 1, so 9.8 is larger.\n"),
            QStringLiteral("Wait, as version numbers 9.11 would come after 9.8, "),
            QStringLiteral("but these are decimals, so 9.8 it is.")};
}

QList<QByteArray> answerStream()
{
    QList<QByteArray> events;
    for (const QString &piece : thinkingPieces())
        events << delta("reasoning_content", piece);
    const QString answer = QStringLiteral(
        "## Answer\n\n**9.8** is larger than 9.11: compare the tenths first.\n\n- 9.8 = 9.80\n- 9.80 > 9.11\n\n"
        "```python\nfrom decimal import Decimal\n\nprint(Decimal(\"9.8\") > Decimal(\"9.11\"))  # True\n```\n\n"
        "So the answer is **9.8**.");
    for (qsizetype i = 0; i < answer.size(); i += 9)
        events << delta("content", answer.mid(i, 9));
    events << QByteArray(R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})")
           << QByteArray(R"({"choices":[],"usage":{"prompt_tokens":18,"completion_tokens":64,"total_tokens":82}})");
    QList<QByteArray> chunks;
    const QByteArray stream = Server::sse(events);
    for (qsizetype i = 0; i < stream.size(); i += 97)
        chunks << stream.mid(i, 97);
    return chunks;
}

} // namespace

class TestChatPane : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;
    std::unique_ptr<Test::SandboxFixture> m_sandbox; // started by the first test that needs it

    // A one-GPU vLLM server job in apolo-sandbox; returns its base URL once /v1/models answers.
    QUrl startSandboxServer(const QString &name, const QString &extraArgs, const QJsonObject &env)
    {
        if (!m_sandbox) {
            m_sandbox = std::make_unique<Test::SandboxFixture>(
                Test::SandboxFixture::Options{1000, {}, {}, {QStringLiteral("--token-rate"), QStringLiteral("4000")}});
            if (!m_sandbox->start()) {
                qWarning().noquote() << m_sandbox->errorString();
                return {};
            }
        }
        const auto reply = m_sandbox->createJob(
            {{QStringLiteral("name"), name},
             {QStringLiteral("image"), QStringLiteral("vllm/vllm-openai:v0.7.2")},
             {QStringLiteral("command"), QString(QStringLiteral("--model deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B "
                                                                "--served-model-name r1 --max-model-len 8192 ") +
                                                 extraArgs)},
             {QStringLiteral("preset_name"), QStringLiteral("gpu-h100x1")},
             {QStringLiteral("env"), env},
             {QStringLiteral("http"),
              QJsonObject{{QStringLiteral("port"), 8000}, {QStringLiteral("requires_auth"), false}}}});
        if (reply.status != 202)
            return {};
        const QJsonObject job = m_sandbox->waitForStatus(reply.json().value(QLatin1String("id")).toString(),
                                                         QStringLiteral("running"), 20000);
        const QString url = job.value(QLatin1String("http_url")).toString();
        const auto serving = [this, url] {
            return m_sandbox->send("GET", url + QStringLiteral("/v1/models"), {}, {}, false).status == 200;
        };
        return !url.isEmpty() && QTest::qWaitFor(serving, 25000) ? QUrl(url) : QUrl();
    }

private Q_SLOTS:
    void streamedAnswer_isRenderedWithThinkingAndMetrics()
    {
        Test::TempConfig config;
        Server server;
        server.setResponse(
            "/v1/models",
            {200,
             "OK",
             "application/json",
             {R"({"object":"list","data":[{"id":"deepseek-r1","root":"cognitivecomputations/DeepSeek-R1-AWQ","max_model_len":128000}]})"},
             0,
             false});
        server.setResponse(
            "/tokenize",
            {200, "OK", "application/json", {R"({"count":12,"max_model_len":128000,"tokens":[]})"}, 0, false});
        server.setResponse("/metrics", {200,
                                        "OK",
                                        "text/plain",
                                        {"vllm:num_requests_running{model_name=\"deepseek-r1\"} 1\n"
                                         "vllm:gpu_cache_usage_perc{model_name=\"deepseek-r1\"} 0.12\n"
                                         "vllm:generation_tokens_total{model_name=\"deepseek-r1\"} 100\n"},
                                        0,
                                        false});
        server.setResponse("/v1/chat/completions", {200, "OK", "text/event-stream", answerStream(), 5, true});

        ChatWorkspace workspace(&m_network);
        ChatPane pane(&workspace);
        pane.resize(1280, 760);
        pane.show();
        pane.setDeploymentEndpoint(server.url(), QStringLiteral("deepseek-r1"), nullptr);
        QTRY_COMPARE(workspace.currentModel().maxModelLen, 128000);
        QVERIFY(workspace.session()->isReasoningModel());

        // The endpoint card: snippets without secrets, and a warning for an endpoint without auth.
        QVERIFY(pane.endpointCard()->curlText().contains(QLatin1String("/v1/chat/completions")));
        QVERIFY(pane.endpointCard()->pythonText().contains(QLatin1String("deepseek-r1")));
        QVERIFY(pane.endpointCard()->warningText().contains(QLatin1String("no authentication")));

        QSignalSpy finished(workspace.session(), &ChatSession::turnFinished);
        pane.composer()->setText(QStringLiteral("Which is larger, 9.11 or 9.8?"));
        QTest::keyClick(pane.composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        pane.messageView()->flush();
        QCOMPARE(pane.messageView()->count(), 2);
        QVERIFY(pane.composer()->text().isEmpty());

        MessageWidget *answer = pane.messageView()->messageAt(1);
        const QString text = answer->bodyDocument()->toPlainText();
        QVERIFY2(text.contains(QLatin1String("9.8 is larger than 9.11: compare")), qPrintable(text));
        QVERIFY(!text.contains(QLatin1String("**")));
        QVERIFY(!text.contains(QLatin1String("```")));
        QVERIFY(answer->thinking()->isVisible());
        QCOMPARE(answer->thinking()->textLength(), thinkingPieces().join(QString()).size());
        QVERIFY(!answer->thinking()->isExpanded()); // collapsed by default

        // "Copy code" lists the answer's code blocks and copies one without its fences.
        auto *copyCode = answer->findChild<QToolButton *>(QStringLiteral("copyCodeToolButton"));
        QVERIFY(copyCode && !copyCode->isHidden());
        Q_EMIT copyCode->menu()->aboutToShow();
        QCOMPARE(copyCode->menu()->actions().size(), 1);
        QVERIFY(copyCode->menu()->actions().first()->text().startsWith(QLatin1String("python: from decimal")));
        copyCode->menu()->actions().first()->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(),
                 QStringLiteral("from decimal import Decimal\n\nprint(Decimal(\"9.8\") > Decimal(\"9.11\"))  # True"));
        QVERIFY(pane.messageView()->renderCount() > 0);
        // The list never scrolls sideways, so nothing may be wider than its viewport.
        QTRY_VERIFY(pane.messageView()->widget()->width() <= pane.messageView()->viewport()->width());

        const QByteArray screenshot = qgetenv("ADC_CHAT_SCREENSHOT");
        if (!screenshot.isEmpty()) {
            // A second turn shows the collapsed state next to the expanded one.
            pane.composer()->setText(QStringLiteral("And 9.9 or 9.11?"));
            QTest::keyClick(pane.composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
            QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 10000);
            pane.messageView()->flush();
            answer->thinking()->setExpanded(true);
            pane.resize(1280, 980); // room for both turns
            pane.sideTabs()->setCurrentIndex(0);
            QTRY_VERIFY(!pane.composer()->findChild<QLabel *>(QStringLiteral("promptLengthLabel"))->text().isEmpty());
            QTest::qWait(300); // let a metrics scrape and the layout land before grabbing
            QVERIFY(pane.grab().save(QString::fromLocal8Bit(screenshot)));
        }
    }

    // Issue 7's Done-when: every reasoning shape apolo-sandbox's vLLM produces (vllm.md §3)
    // ends up in the thinking section or the answer, never mixed.
    void sandboxReasoningShapes_areShownApart_data()
    {
        QTest::addColumn<QString>("args");
        QTest::addColumn<QJsonObject>("env");
        QTest::addColumn<bool>("boundaryMissing");
        const QString parser = QStringLiteral("--enable-reasoning --reasoning-parser deepseek_r1");
        const QString prefill = QStringLiteral("APOLO_SANDBOX_THINK_PREFILL");
        QTest::newRow("inline-no-opening-tag") << QString() << QJsonObject{{prefill, QStringLiteral("1")}} << false;
        QTest::newRow("inline-with-opening-tag") << QString() << QJsonObject{{prefill, QStringLiteral("0")}} << false;
        QTest::newRow("reasoning_content") << parser << QJsonObject() << false;
        QTest::newRow("reasoning") << parser
                                   << QJsonObject{{QStringLiteral("APOLO_SANDBOX_REASONING_FIELD"),
                                                   QStringLiteral("reasoning")}}
                                   << false;
        QTest::newRow("v0.7.2-parser-bug")
            << parser
            << QJsonObject{{QStringLiteral("APOLO_SANDBOX_R1_PARSER_BUG"), QStringLiteral("1")},
                           {prefill, QStringLiteral("1")}}
            << true;
    }

    void sandboxReasoningShapes_areShownApart()
    {
        QFETCH(QString, args);
        QFETCH(QJsonObject, env);
        QFETCH(bool, boundaryMissing);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        const QUrl url = startSandboxServer(
            QStringLiteral("pane-") +
                QString(tag).replace(QLatin1Char('.'), QLatin1Char('-')).replace(QLatin1Char('_'), QLatin1Char('-')),
            args, env);
        QVERIFY2(url.isValid(), m_sandbox ? m_sandbox->processOutput().right(2000).constData() : "no sandbox");

        Test::TempConfig config;
        ChatWorkspace workspace(&m_network);
        ChatPane pane(&workspace);
        pane.show();
        workspace.useCustomEndpoint(url);
        QTRY_COMPARE(workspace.currentModel().id, QStringLiteral("r1"));
        QSignalSpy finished(workspace.session(), &ChatSession::turnFinished);
        QVERIFY(workspace.session()->send(QStringLiteral("Which is larger, 9.11 or 9.8?")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
        pane.messageView()->flush();

        // The sandbox's thinking says "Let me plan it"; its answer starts "This reply comes from".
        MessageWidget *answer = pane.messageView()->messageAt(1);
        const QString body = answer->bodyDocument()->toPlainText();
        const QString notice = answer->findChild<QLabel *>(QStringLiteral("messageNoticeLabel"))->text();
        QVERIFY2(body.contains(QLatin1String("This reply comes from apolo-sandbox")), qPrintable(body));
        QVERIFY(!body.contains(QLatin1String("<think>")) && !body.contains(QLatin1String("</think>")));
        if (boundaryMissing) {
            QVERIFY(!answer->thinking()->isVisible());
            QVERIFY(body.contains(QLatin1String("Let me plan it"))); // nothing lost
            QVERIFY2(notice.contains(QLatin1String("never marked where the thinking ended")), qPrintable(notice));
        } else {
            QVERIFY(answer->thinking()->isVisible());
            QVERIFY2(answer->thinking()->text().contains(QLatin1String("Let me plan it")),
                     qPrintable(answer->thinking()->text()));
            QVERIFY(!answer->thinking()->text().contains(QLatin1String("This reply comes from")));
            QVERIFY2(!body.contains(QLatin1String("Let me plan it")), qPrintable(body));
            QVERIFY(notice.isEmpty());
        }
    }

    void stop_keepsTheTextAndSaysStopped()
    {
        Test::TempConfig config;
        Server server;
        Server::Response endless{
            200, "OK", "text/event-stream", {Server::sse({delta("content", QStringLiteral("Partial answer"))}, false)},
            0,   true};
        endless.keepOpen = true;
        server.setResponse("/v1/chat/completions", endless);
        ChatWorkspace workspace(&m_network);
        ChatPane pane(&workspace);
        pane.show();
        workspace.useCustomEndpoint(server.url());
        workspace.selectModel(QStringLiteral("llama"));
        QSignalSpy finished(workspace.session(), &ChatSession::turnFinished);
        workspace.session()->send(QStringLiteral("go"));
        QTRY_VERIFY(workspace.session()->conversation().messages.at(1).content.contains(QLatin1String("Partial")));
        workspace.session()->stop();
        QTRY_COMPARE(finished.count(), 1);
        pane.messageView()->flush();
        QVERIFY(
            pane.messageView()->messageAt(1)->bodyDocument()->toPlainText().contains(QLatin1String("Partial answer")));
        QVERIFY(pane.messageView()
                    ->messageAt(1)
                    ->findChild<QLabel *>(QStringLiteral("messageNoticeLabel"))
                    ->text()
                    .contains(QLatin1String("Stopped")));
    }
};

QTEST_MAIN(TestChatPane)
#include "tst_chatpane.moc"
