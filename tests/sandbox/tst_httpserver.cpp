// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/HttpServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

using namespace ApoloDeploy::Sandbox;

class TstHttpServer : public QObject
{
    Q_OBJECT

private:
    HttpServer *m_server = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    QList<HttpRequest> m_requests;
    QPointer<HttpResponder> m_streaming;

    QUrl url(const QString &pathAndQuery) const { return QUrl(m_server->baseUrl() + pathAndQuery); }
    // Raw exchange over one TCP connection: sends bytes, collects everything until close or timeout.
    QByteArray rawExchange(const QByteArray &bytes, const QByteArray &waitFor = {})
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->port());
        if (!socket.waitForConnected(5000))
            return {};
        socket.write(bytes);
        QByteArray received;
        (void)QTest::qWaitFor(
            [&] {
                received += socket.readAll();
                return socket.state() != QAbstractSocket::ConnectedState ||
                       (!waitFor.isEmpty() && received.count(waitFor) > 0 && received.endsWith(waitFor));
            },
            5000);
        received += socket.readAll();
        return received;
    }

private Q_SLOTS:
    void init()
    {
        m_server = new HttpServer(this);
        m_network = new QNetworkAccessManager(this);
        m_requests.clear();
        QVERIFY(m_server->listen());
        m_server->setHandler([this](const HttpRequest &request, HttpResponder *responder) {
            m_requests.append(request);
            if (request.path == QLatin1String("/echo")) {
                responder->respond(200, "application/octet-stream", request.body,
                                   {{"X-Method", request.method}, {"X-Token", request.bearerToken()}});
            } else if (request.path == QLatin1String("/stream")) {
                responder->beginStream(200, "text/plain");
                m_streaming = responder;
            } else if (request.path == QLatin1String("/json")) {
                responder->respondJson(201, QJsonObject{{QStringLiteral("query"), request.query.toString()}});
            } else {
                responder->respondError(404, QStringLiteral("nothing at %1").arg(request.path));
            }
        });
    }
    void cleanup()
    {
        delete m_network;
        delete m_server;
    }

    void request_bodyAndHeadersReachHandler()
    {
        QNetworkRequest request(url(QStringLiteral("/echo?neuro-auth-token=abc")));
        QNetworkReply *reply = m_network->post(request, QByteArray("hello body"));
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(reply->readAll(), QByteArray("hello body"));
        QCOMPARE(reply->rawHeader("X-Method"), QByteArray("POST"));
        QCOMPARE(reply->rawHeader("X-Token"), QByteArray("abc"));
        reply->deleteLater();
    }

    void bearerToken_headerWinsOverQuery()
    {
        QNetworkRequest request(url(QStringLiteral("/echo?neuro-auth-token=query")));
        request.setRawHeader("Authorization", "Bearer header-token");
        QNetworkReply *reply = m_network->get(request);
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->rawHeader("X-Token"), QByteArray("header-token"));
        reply->deleteLater();
    }

    void query_bareKeyAndPlusDecoding()
    {
        QNetworkReply *reply = m_network->get(QNetworkRequest(url(QStringLiteral("/json?from_preset&since=a+b"))));
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
        QVERIFY(m_requests.constLast().query.hasQueryItem(QStringLiteral("from_preset")));
        QCOMPARE(m_requests.constLast().query.queryItemValue(QStringLiteral("since"), QUrl::FullyDecoded),
                 QStringLiteral("a b"));
        reply->deleteLater();
    }

    void pipelining_answersInOrderOnOneConnection()
    {
        const QByteArray requests = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
                                    "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    "3\r\ntwo\r\n5\r\n-more\r\n0\r\n\r\n"
                                    "GET /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        const QByteArray answer = rawExchange(requests);
        const qsizetype first = answer.indexOf("\r\n\r\none");
        const qsizetype second = answer.indexOf("\r\n\r\ntwo-more");
        const qsizetype third = answer.indexOf("nothing at /missing");
        QVERIFY2(first > 0 && second > first && third > second, answer.constData());
        QCOMPARE(answer.count("HTTP/1.1 200 OK"), 2);
        QVERIFY(answer.contains("HTTP/1.1 404 Not Found"));
    }

    void garbage_gets400AndClose()
    {
        const QByteArray answer = rawExchange("THIS IS NOT HTTP\r\n\r\n");
        QVERIFY2(answer.startsWith("HTTP/1.1 400 Bad Request"), answer.constData());
        QVERIFY(answer.contains("Connection: close"));
    }

    void badChunk_gets400()
    {
        const QByteArray answer =
            rawExchange("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
        QVERIFY2(answer.startsWith("HTTP/1.1 400"), answer.constData());
    }

    void expectContinue_isAnswered()
    {
        const QByteArray answer = rawExchange(
            "POST /echo HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n", "100 Continue\r\n\r\n");
        QVERIFY2(answer.startsWith("HTTP/1.1 100 Continue"), answer.constData());
    }

    void streaming_deliversChunksAsWritten()
    {
        QNetworkReply *reply = m_network->get(QNetworkRequest(url(QStringLiteral("/stream"))));
        QTRY_VERIFY(m_streaming);
        m_streaming->write("first ");
        QTRY_COMPARE(reply->bytesAvailable(), qint64(6));
        QCOMPARE(reply->readAll(), QByteArray("first "));
        m_streaming->write("second");
        m_streaming->end();
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->readAll(), QByteArray("second"));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        reply->deleteLater();
    }

    void clientDisconnect_midStreamSignalsResponder()
    {
        QNetworkReply *reply = m_network->get(QNetworkRequest(url(QStringLiteral("/stream"))));
        QTRY_VERIFY(m_streaming);
        QSignalSpy disconnected(m_streaming.data(), &HttpResponder::disconnected);
        m_streaming->write("x");
        QTRY_COMPARE(reply->bytesAvailable(), 1);
        reply->abort();
        QTRY_COMPARE(disconnected.count(), 1);
        QTRY_VERIFY(!m_streaming); // deleted by the server
        reply->deleteLater();
    }

    void backpressure_pendingBytesDrainWithBytesWritten()
    {
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, m_server->port());
        QVERIFY(client.waitForConnected(5000));
        client.write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_VERIFY(m_streaming);
        const QByteArray block(4 * 1024 * 1024, 'a');
        m_streaming->write(block);
        QVERIFY(m_streaming->pendingBytes() > 0);
        QSignalSpy written(m_streaming.data(), &HttpResponder::bytesWritten);
        qint64 received = 0;
        QTRY_VERIFY_WITH_TIMEOUT((received += client.readAll().size(), m_streaming->pendingBytes() == 0), 10000);
        QVERIFY(written.count() > 0);
    }

    void webSocket_upgradeReachesHandlerWithRequest()
    {
        HttpRequest seen;
        m_server->setWebSocketHandler([](const HttpRequest &, QByteArray &) { return 101; },
                                      [&seen](const HttpRequest &request, QWebSocket *socket) {
                                          seen = request;
                                          socket->sendBinaryMessage("hello");
                                          socket->close();
                                      });
        QWebSocket client;
        QSignalSpy binary(&client, &QWebSocket::binaryMessageReceived);
        QNetworkRequest request(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws/path?since=x").arg(m_server->port())));
        request.setRawHeader("Sec-WebSocket-Protocol", "bearer.apolo.us-secret-token");
        client.open(request);
        QTRY_COMPARE(binary.count(), 1);
        QCOMPARE(binary.at(0).at(0).toByteArray(), QByteArray("hello"));
        QCOMPARE(seen.path, QStringLiteral("/ws/path"));
        QCOMPARE(seen.bearerToken(), QByteArray("secret-token"));
    }

    void webSocket_refusedGateSendsXError()
    {
        m_server->setWebSocketHandler(
            [](const HttpRequest &, QByteArray &error) {
                error = R"({"error":"no such job"})";
                return 400;
            },
            [](const HttpRequest &, QWebSocket *) { QFAIL("handler must not run"); });
        const QByteArray answer =
            rawExchange("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QVERIFY2(answer.startsWith("HTTP/1.1 400"), answer.constData());
        QVERIFY(answer.contains("X-Error: {\"error\":\"no such job\"}"));
    }
};

QTEST_GUILESS_MAIN(TstHttpServer)
#include "tst_httpserver.moc"
