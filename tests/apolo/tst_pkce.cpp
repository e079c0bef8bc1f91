// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/Pkce.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace ApoloDeploy;

class tst_Pkce : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void challenge_matchesRfc7636AppendixB()
    {
        // RFC 7636 Appendix B verbatim (also what Python's hashlib computes).
        QCOMPARE(Pkce::challengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
                 QByteArray("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    void verifier_isBase64UrlOf32BytesWithoutPadding()
    {
        static const QRegularExpression unreserved(QStringLiteral("^[A-Za-z0-9_-]{43}$"));
        QSet<QByteArray> seen;
        for (int i = 0; i < 50; ++i) {
            const QByteArray verifier = Pkce::generateVerifier();
            QVERIFY2(unreserved.match(QString::fromLatin1(verifier)).hasMatch(), verifier.constData());
            QVERIFY(!seen.contains(verifier));
            seen.insert(verifier);
            const QByteArray challenge = Pkce::challengeFor(verifier);
            QCOMPARE(challenge.size(), 43);
            QVERIFY(!challenge.contains('='));
        }
    }

    void state_isRandom()
    {
        QVERIFY(Pkce::generateState() != Pkce::generateState());
        QVERIFY(Pkce::generateState().size() >= 22);
    }
};

QTEST_GUILESS_MAIN(tst_Pkce)
#include "tst_pkce.moc"
