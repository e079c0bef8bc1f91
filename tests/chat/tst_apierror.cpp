// SPDX-License-Identifier: GPL-3.0-or-later
#include "chat/ApiError.h"

#include <QJsonArray>
#include <QTest>

using namespace ApoloDeploy;

class TestApiError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void httpBodies_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("code");

        QTest::newRow("vllm-401-string") << 401 << QByteArray(R"({"error":"Unauthorized"})")
                                         << QStringLiteral("Unauthorized") << QString() << QString();
        QTest::newRow("vllm-0.7-flat")
            << 400
            << QByteArray("{\"object\":\"error\",\"message\":\"This model\'s maximum context length is 2048 tokens.\","
                          "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}")
            << QStringLiteral("This model\'s maximum context length is 2048 tokens.")
            << QStringLiteral("BadRequestError") << QStringLiteral("400");
        QTest::newRow("vllm-0.10-nested")
            << 404
            << QByteArray(
                   R"({"error":{"message":"The model `x` does not exist.","type":"NotFoundError","param":null,"code":404}})")
            << QStringLiteral("The model `x` does not exist.") << QStringLiteral("NotFoundError")
            << QStringLiteral("404");
        QTest::newRow("openai-string-code")
            << 429 << QByteArray(R"({"error":{"message":"Rate limit","type":"requests","code":"rate_limit_exceeded"}})")
            << QStringLiteral("Rate limit") << QStringLiteral("requests") << QStringLiteral("rate_limit_exceeded");
        QTest::newRow("flat-message") << 500 << QByteArray(R"({"message":"boom"})") << QStringLiteral("boom")
                                      << QString() << QString();
        QTest::newRow("fastapi-detail") << 405 << QByteArray(R"({"detail":"Method Not Allowed"})")
                                        << QStringLiteral("Method Not Allowed") << QString() << QString();
        QTest::newRow("html-from-ingress")
            << 502
            << QByteArray(
                   "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>")
            << QStringLiteral("502 Bad Gateway502 Bad Gateway") << QString() << QString();
        QTest::newRow("plain-text") << 500 << QByteArray("Internal Server Error\n")
                                    << QStringLiteral("Internal Server Error") << QString() << QString();
    }

    void httpBodies()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        QFETCH(QString, type);
        QFETCH(QString, code);
        const ApiError error = ApiErrors::fromHttpResponse(status, body, QStringLiteral("Reason"));
        QCOMPARE(error.httpStatus, status);
        QCOMPARE(error.message, message);
        QCOMPARE(error.type, type);
        QCOMPARE(error.code, code);
        QVERIFY(error.summary().contains(QString::number(status)));
    }

    void emptyBody_usesReasonPhrase()
    {
        const ApiError error = ApiErrors::fromHttpResponse(503, {}, QStringLiteral("Service Unavailable"));
        QCOMPARE(error.message, QStringLiteral("Service Unavailable"));
        QVERIFY(!error.hint().isEmpty());
    }

    void emptyBodyNoReason_stillSaysSomething()
    {
        const ApiError error = ApiErrors::fromHttpResponse(500, {}, {});
        QVERIFY(!error.message.isEmpty());
        QCOMPARE(error.summary().left(9), QStringLiteral("HTTP 500:"));
    }

    void unauthorized_hintsAtTheKey()
    {
        const ApiError error = ApiErrors::fromHttpResponse(401, R"({"error":"Unauthorized"})");
        QVERIFY(error.hint().contains(QLatin1String("API key")));
    }

    void chunkWithChoices_isNotAnError()
    {
        QVERIFY(ApiErrors::fromJson(QJsonObject{{QStringLiteral("choices"), QJsonArray()}}).isNull());
    }
};

QTEST_GUILESS_MAIN(TestApiError)
#include "tst_apierror.moc"
