// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ConversationStore.h"
#include "support/TempConfig.h"

#include <QFile>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace ApoloDeploy;

namespace {

Conversation sample()
{
    Conversation conversation = Conversation::create();
    conversation.model = QStringLiteral("deepseek-r1");
    conversation.endpointUrl = QStringLiteral("https://ray-worker--0e1436ea6a.jobs.cl1.org.apolo.us");
    conversation.parameters.temperature = 0.5;
    conversation.parameters.maxTokens = 4096;
    conversation.parameters.systemPrompt = QStringLiteral("Be brief.");
    ChatMessage user = Conversation::newMessage(ChatMessage::Role::User, {});
    user.content = QStringLiteral("Which is larger, 9.11 or 9.8?");
    ChatMessage answer = Conversation::newMessage(ChatMessage::Role::Assistant, user.id);
    answer.reasoning = QStringLiteral("Compare the decimals.");
    answer.content = QStringLiteral("**9.8** is larger.\n\n```python\nprint(9.8 > 9.11)\n```");
    answer.finishReason = QStringLiteral("stop");
    answer.metrics.timeToFirstTokenMs = 850;
    answer.metrics.tokensPerSecond = 61.5;
    answer.metrics.completionTokens = 398;
    answer.metrics.thinkingMs = 4200;
    conversation.messages = {user, answer};
    conversation.title = conversation.suggestedTitle();
    return conversation;
}

} // namespace

class TestConversationStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultDirectory_honoursTheConfigOverride()
    {
        Test::TempConfig config;
        QCOMPARE(ConversationStore::defaultDirectory(), config.path() + QStringLiteral("/conversations"));
    }

    void saveAndLoad_roundTrips()
    {
        Test::TempConfig config;
        ConversationStore store;
        const Conversation original = sample();
        QString error;
        QVERIFY2(store.save(original, &error), qPrintable(error));
        const std::optional<Conversation> loaded = store.load(original.id, &error);
        QVERIFY2(loaded, qPrintable(error));
        QCOMPARE(loaded->title, original.title);
        QCOMPARE(loaded->model, original.model);
        QCOMPARE(loaded->parameters, original.parameters);
        QCOMPARE(loaded->messages.size(), 2);
        const ChatMessage &answer = loaded->messages.at(1);
        QCOMPARE(answer.reasoning, original.messages[1].reasoning);
        QCOMPARE(answer.content, original.messages[1].content);
        QCOMPARE(answer.parentId, original.messages[0].id);
        QCOMPARE(answer.metrics.timeToFirstTokenMs, 850);
        QCOMPARE(answer.metrics.tokensPerSecond, 61.5);
        QCOMPARE(answer.state, ChatMessage::State::Complete);
        const QJsonObject json = QJsonDocument::fromJson([&] {
                                     QFile file(store.filePath(original.id));
                                     file.open(QIODevice::ReadOnly);
                                     return file.readAll();
                                 }())
                                     .object();
        QCOMPARE(json.value(QLatin1String("format_version")).toInt(), Conversation::formatVersion);
    }

    void streamingOnDisk_loadsAsInterrupted()
    {
        Test::TempConfig config;
        ConversationStore store;
        Conversation conversation = sample();
        conversation.messages[1].state = ChatMessage::State::Streaming;
        conversation.messages[1].content = QStringLiteral("partial ans");
        QVERIFY(store.save(conversation));
        const std::optional<Conversation> loaded = store.load(conversation.id);
        QCOMPARE(loaded->messages[1].state, ChatMessage::State::Interrupted);
        QCOMPARE(loaded->messages[1].content, QStringLiteral("partial ans"));
    }

    void newerFormat_isRejectedWithAClearMessage()
    {
        Test::TempConfig config;
        ConversationStore store;
        QJsonObject json = sample().toJson();
        json.insert(QStringLiteral("format_version"), Conversation::formatVersion + 1);
        const QString id = json.value(QLatin1String("id")).toString();
        QDir().mkpath(store.directory());
        QFile file(store.filePath(id));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(json).toJson());
        file.close();
        QString error;
        QVERIFY(!store.load(id, &error));
        QVERIFY(error.contains(QLatin1String("newer")));
    }

    void damagedFiles_areSkippedAndReported()
    {
        Test::TempConfig config;
        ConversationStore store;
        QVERIFY(store.save(sample()));
        QFile damaged(store.directory() + QStringLiteral("/0000-broken.json"));
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write("{\"format_version\": 1, \"messages\": [");
        damaged.close();
        const QList<ConversationSummary> list = store.list();
        QCOMPARE(list.size(), 1);
        QCOMPARE(store.loadErrors().size(), 1);
        QVERIFY(store.loadErrors().first().contains(QLatin1String("0000-broken")));
        QVERIFY(damaged.exists()); // never deleted behind the user's back
    }

    void list_isNewestFirst()
    {
        Test::TempConfig config;
        ConversationStore store;
        Conversation older = sample();
        older.updatedAt = QDateTime::currentDateTimeUtc().addDays(-1);
        Conversation newer = sample();
        QVERIFY(store.save(older));
        QVERIFY(store.save(newer));
        const QList<ConversationSummary> list = store.list();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.first().id, newer.id);
        QCOMPARE(list.first().messageCount, 2);
    }

    void remove_deletesTheFile()
    {
        Test::TempConfig config;
        ConversationStore store;
        const Conversation conversation = sample();
        QVERIFY(store.save(conversation));
        QSignalSpy removed(&store, &ConversationStore::removed);
        QVERIFY(store.remove(conversation.id));
        QCOMPARE(removed.count(), 1);
        QVERIFY(!QFile::exists(store.filePath(conversation.id)));
        QVERIFY(!store.remove(QStringLiteral("../settings")));
    }

    void markdownExport_hasThinkingAndCode()
    {
        Test::TempConfig config;
        const Conversation conversation = sample();
        const QString path = config.path() + QStringLiteral("/export.md");
        QVERIFY(ConversationStore::exportMarkdown(conversation, path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString markdown = QString::fromUtf8(file.readAll());
        QVERIFY(markdown.startsWith(QStringLiteral("# Which is larger")));
        QVERIFY(markdown.contains(QLatin1String("<details><summary>Thinking</summary>")));
        QVERIFY(markdown.contains(QLatin1String("```python\nprint(9.8 > 9.11)\n```")));
    }

    void credentialsInEndpointUrl_areDropped()
    {
        QJsonObject json = sample().toJson();
        json.insert(QStringLiteral("endpoint_url"), QStringLiteral("https://user:secret@host.example/v1"));
        const std::optional<Conversation> loaded = Conversation::fromJson(json);
        QVERIFY(loaded);
        QVERIFY(!loaded->endpointUrl.contains(QLatin1String("secret")));
    }

    void history_skipsThinkingAndFailedAnswers()
    {
        Conversation conversation = sample();
        ChatMessage failed = Conversation::newMessage(ChatMessage::Role::Assistant, {});
        failed.state = ChatMessage::State::Failed;
        failed.content = QStringLiteral("half");
        ChatMessage user = Conversation::newMessage(ChatMessage::Role::User, {});
        user.content = QStringLiteral("again");
        conversation.messages << failed << user;
        const QList<ChatTurn> turns = conversation.historyUpTo(3);
        QCOMPARE(turns.size(), 3);
        QCOMPARE(turns[1].role, QStringLiteral("assistant"));
        QVERIFY(!turns[1].content.contains(QLatin1String("Compare the decimals")));
        QCOMPARE(turns[2].content, QStringLiteral("again"));
    }
};

QTEST_GUILESS_MAIN(TestConversationStore)
#include "tst_conversationstore.moc"
