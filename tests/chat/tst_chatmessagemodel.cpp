// SPDX-License-Identifier: GPL-3.0-or-later
#include "LoopbackHttpServer.h"
#include "chat/ChatSession.h"
#include "chat/ConversationStore.h"
#include "chat/OpenAiClient.h"
#include "models/ChatMessageModel.h"
#include "models/ConversationListModel.h"
#include "support/TempConfig.h"

#include <QAbstractItemModelTester>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace ApoloDeploy;
using Server = Test::LoopbackHttpServer;

class TestChatMessageModel : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

private Q_SLOTS:
    void streamingConversation_keepsTheModelConsistent()
    {
        Test::TempConfig config;
        Server server;
        server.setResponse("/v1/chat/completions",
                           {200,
                            "OK",
                            "text/event-stream",
                            {Server::sse({R"({"choices":[{"index":0,"delta":{"reasoning_content":"Let me think."}}]})",
                                          R"({"choices":[{"index":0,"delta":{"content":"Answer."}}]})",
                                          R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"})},
                            10,
                            true});
        OpenAiClient client(&m_network);
        ChatEndpoint endpoint;
        endpoint.baseUrl = server.url();
        client.setEndpoint(endpoint);
        ConversationStore store;
        ChatSession session(&client, &store);
        session.setModel(QStringLiteral("llama"));
        ChatMessageModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ConversationListModel list(&store);
        QAbstractItemModelTester listTester(&list, QAbstractItemModelTester::FailureReportingMode::QtTest);

        QSignalSpy finished(&session, &ChatSession::turnFinished);
        session.send(QStringLiteral("Hello"));
        QCOMPARE(model.rowCount(), 2);
        QTRY_COMPARE(finished.count(), 1);
        const QModelIndex answer = model.index(1);
        QCOMPARE(answer.data(ChatMessageModel::RoleNameRole).toString(), QStringLiteral("assistant"));
        QCOMPARE(answer.data(ChatMessageModel::ContentRole).toString(), QStringLiteral("Answer."));
        QCOMPARE(answer.data(ChatMessageModel::ReasoningRole).toString(), QStringLiteral("Let me think."));
        QVERIFY(answer.data(ChatMessageModel::ThinkingLabelRole).toString().startsWith(QLatin1String("Thought for")));
        // No usage chunk: the counts are marked as estimates (the rate too, when the stream took
        // measurable time; three events in one read may not).
        const QString metrics = answer.data(ChatMessageModel::MetricsRole).toString();
        QVERIFY2(metrics.contains(QStringLiteral("≈")) && metrics.contains(QLatin1String("tokens out")),
                 qPrintable(metrics));
        QVERIFY(!answer.data(ChatMessageModel::IsStreamingRole).toBool());
        QCOMPARE(list.rowCount(), 1);
        QCOMPARE(list.index(0).data().toString(), QStringLiteral("Hello"));

        QVERIFY(session.regenerate());
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(model.rowCount(), 2);

        session.newConversation();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(session.openConversation(list.idAt(0)));
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(session.deleteConversation(list.idAt(0)));
        QCOMPARE(list.rowCount(), 0);
        QCOMPARE(model.rowCount(), 0);
    }

    void durations_areReadable()
    {
        QCOMPARE(ChatMessageModel::formatDuration(4400), QStringLiteral("4 s"));
        QCOMPARE(ChatMessageModel::formatDuration(120), QStringLiteral("under a second")); // not "0 s"
        QCOMPARE(ChatMessageModel::formatDuration(65000), QStringLiteral("1 min 5 s"));
    }
};

QTEST_MAIN(TestChatMessageModel)
#include "tst_chatmessagemodel.moc"
