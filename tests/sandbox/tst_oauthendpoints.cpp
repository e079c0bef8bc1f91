// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/SandboxFixture.h"

#include <QCryptographicHash>
#include <QTest>
#include <QUrlQuery>

using ApoloDeploy::Test::SandboxFixture;

class TstOAuthEndpoints : public QObject
{
    Q_OBJECT

private:
    SandboxFixture m_sandbox;
    QJsonObject m_config;

    static QByteArray base64Url(const QByteArray &bytes)
    {
        return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    }
    // GET auth_url: the sandbox approves at once and redirects back with a code.
    QString authorize(const QByteArray &verifier, const QString &redirectUri)
    {
        QUrl url(m_config.value(QLatin1String("auth_url")).toString());
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
        query.addQueryItem(
            QStringLiteral("code_challenge"),
            QString::fromLatin1(base64Url(QCryptographicHash::hash(verifier, QCryptographicHash::Sha256))));
        query.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
        query.addQueryItem(QStringLiteral("client_id"), m_config.value(QLatin1String("client_id")).toString());
        query.addQueryItem(QStringLiteral("redirect_uri"), redirectUri);
        query.addQueryItem(QStringLiteral("scope"), QStringLiteral("offline_access"));
        query.addQueryItem(QStringLiteral("audience"), m_config.value(QLatin1String("audience")).toString());
        url.setQuery(query);
        const auto reply = m_sandbox.send("GET", url.toString(QUrl::FullyEncoded), {}, {}, false);
        if (reply.status != 302)
            return {};
        const QUrl location(QString::fromLatin1(reply.header("Location")));
        if (!location.toString().startsWith(redirectUri))
            return {};
        return QUrlQuery(location).queryItemValue(QStringLiteral("code"));
    }
    SandboxFixture::Reply token(const QList<QPair<QString, QString>> &fields)
    {
        QUrlQuery form;
        for (const auto &[key, value] : fields)
            form.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        return m_sandbox.send(
            "POST", m_config.value(QLatin1String("token_url")).toString(), form.toString(QUrl::FullyEncoded).toLatin1(),
            {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}}, false);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(), qPrintable(m_sandbox.errorString()));
        m_config = m_sandbox.send("GET", QStringLiteral("config"), {}, {}, false).json();
    }

    void codeFlow_pkceThenRefresh()
    {
        QVERIFY(m_sandbox.setTokenExpirySeconds(120));
        const QByteArray verifier = base64Url(QByteArray(32, 'v'));
        const QString redirect = QStringLiteral("http://127.0.0.1:54540");
        const QString code = authorize(verifier, redirect);
        QVERIFY(!code.isEmpty());
        const QString clientId = m_config.value(QLatin1String("client_id")).toString();
        const auto tokens = token({{"grant_type", "authorization_code"},
                                   {"code_verifier", QString::fromLatin1(verifier)},
                                   {"code", code},
                                   {"client_id", clientId},
                                   {"redirect_uri", redirect}});
        QCOMPARE(tokens.status, 200);
        const QJsonObject json = tokens.json();
        QCOMPARE(json.value(QLatin1String("expires_in")).toInt(), 120);
        const QByteArray access = json.value(QLatin1String("access_token")).toString().toLatin1();
        const QString refresh = json.value(QLatin1String("refresh_token")).toString();
        QVERIFY(!access.isEmpty() && !refresh.isEmpty());
        const auto config =
            m_sandbox.send("GET", QStringLiteral("config"), {}, {{"Authorization", "Bearer " + access}}, false);
        QVERIFY(config.json().value(QLatin1String("authorized")).toBool());
        // A code is good once.
        QCOMPARE(token({{"grant_type", "authorization_code"},
                        {"code_verifier", QString::fromLatin1(verifier)},
                        {"code", code},
                        {"client_id", clientId},
                        {"redirect_uri", redirect}})
                     .status,
                 403);
        const auto refreshed =
            token({{"grant_type", "refresh_token"}, {"refresh_token", refresh}, {"client_id", clientId}});
        QCOMPARE(refreshed.status, 200);
        QVERIFY(refreshed.json().value(QLatin1String("access_token")).toString().toLatin1() != access);
        QCOMPARE(token({{"grant_type", "refresh_token"}, {"refresh_token", "forged"}, {"client_id", clientId}}).status,
                 403);
    }

    void codeFlow_wrongVerifierIsRefused()
    {
        const QString redirect = QStringLiteral("http://127.0.0.1:54541");
        const QString code = authorize("right-verifier-right-verifier-right-verifier", redirect);
        const auto reply = token({{"grant_type", "authorization_code"},
                                  {"code_verifier", "wrong"},
                                  {"code", code},
                                  {"client_id", m_config.value(QLatin1String("client_id")).toString()},
                                  {"redirect_uri", redirect}});
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.json().value(QLatin1String("error")).toString(), QStringLiteral("invalid_grant"));
    }

    void accessToken_expires()
    {
        QVERIFY(m_sandbox.setFaults(QStringLiteral("token-expiry=1")));
        const QByteArray verifier = base64Url(QByteArray(32, 'e'));
        const QString redirect = QStringLiteral("http://127.0.0.1:54542");
        const QString code = authorize(verifier, redirect);
        const QByteArray access = token({{"grant_type", "authorization_code"},
                                         {"code_verifier", QString::fromLatin1(verifier)},
                                         {"code", code},
                                         {"client_id", m_config.value(QLatin1String("client_id")).toString()},
                                         {"redirect_uri", redirect}})
                                      .json()
                                      .value(QLatin1String("access_token"))
                                      .toString()
                                      .toLatin1();
        QCOMPARE(
            m_sandbox.send("GET", QStringLiteral("jobs"), {}, {{"Authorization", "Bearer " + access}}, false).status,
            200);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_sandbox.send("GET", QStringLiteral("jobs"), {}, {{"Authorization", "Bearer " + access}}, false).status,
            401, 3000);
        QVERIFY(m_sandbox.setFaults(QString()));
    }
};

QTEST_GUILESS_MAIN(TstOAuthEndpoints)
#include "tst_oauthendpoints.moc"
