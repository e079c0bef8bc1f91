// SPDX-License-Identifier: GPL-3.0-or-later
#include "apolo/UriNormalizer.h"

#include <QTest>

using namespace ApoloDeploy;

class tst_UriNormalizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalize_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<QString>("expected"); // empty = refused
        QTest::newRow("project relative") << "storage:hf-cache"
                                          << "storage"
                                          << "storage://c1/acme/research/hf-cache";
        QTest::newRow("nested") << "storage:data/models/x"
                                << "storage"
                                << "storage://c1/acme/research/data/models/x";
        QTest::newRow("project root") << "storage:"
                                      << "storage"
                                      << "storage://c1/acme/research";
        QTest::newRow("org relative") << "storage:/other-project/data"
                                      << "storage"
                                      << "storage://c1/acme/other-project/data";
        QTest::newRow("full") << "storage://c2/beta/p/x"
                              << "storage"
                              << "storage://c2/beta/p/x";
        QTest::newRow("host means cluster") << "storage://hf-cache"
                                            << "storage"
                                            << "storage://hf-cache";
        QTest::newRow("empty host") << "storage:///proj/x"
                                    << "storage"
                                    << "storage://c1/acme/proj/x";
        QTest::newRow("secret") << "secret:HF_TOKEN"
                                << "secret"
                                << "secret://c1/acme/research/HF_TOKEN";
        QTest::newRow("disk") << "disk:disk-123"
                              << "disk"
                              << "disk://c1/acme/research/disk-123";
        QTest::newRow("quoted hash") << "storage:a%23b"
                                     << "storage"
                                     << "storage://c1/acme/research/a%23b";
        QTest::newRow("wrong scheme") << "secret:HF_TOKEN"
                                      << "storage"
                                      << "";
        QTest::newRow("no scheme") << "hf-cache"
                                   << "storage"
                                   << "";
        QTest::newRow("tilde") << "storage:~/data"
                               << "storage"
                               << "";
        QTest::newRow("fragment") << "storage:a#b"
                                  << "storage"
                                  << "";
        QTest::newRow("query") << "storage:a?b"
                               << "storage"
                               << "";
        QTest::newRow("port") << "storage://c1:8080/a"
                              << "storage"
                              << "";
        QTest::newRow("user") << "storage://bob@c1/a"
                              << "storage"
                              << "";
    }
    void normalize()
    {
        QFETCH(QString, uri);
        QFETCH(QString, scheme);
        QFETCH(QString, expected);
        const ApoloResult<QString> result = UriNormalizer::normalize(uri, scheme, {"c1", "acme", "research"});
        if (expected.isEmpty()) {
            QVERIFY(!result.ok());
            QCOMPARE(result.error().kind, ApoloError::Kind::Validation);
            QVERIFY(result.error().message.contains(uri));
        } else {
            QVERIFY2(result.ok(), qPrintable(result.error().toString()));
            QCOMPARE(result.value(), expected);
        }
    }

    void normalize_needsAScopeForRelativeUris()
    {
        QVERIFY(!UriNormalizer::normalize(QStringLiteral("storage:x"), QStringLiteral("storage"), {}).ok());
        QVERIFY(
            !UriNormalizer::normalize(QStringLiteral("storage:x"), QStringLiteral("storage"), {"c1", "acme", {}}).ok());
        // Org relative works without a project; full URIs need no scope at all.
        QVERIFY(UriNormalizer::normalize(QStringLiteral("storage:/p/x"), QStringLiteral("storage"), {"c1", "acme", {}})
                    .ok());
        QVERIFY(UriNormalizer::normalize(QStringLiteral("storage://c1/a/p"), QStringLiteral("storage"), {}).ok());
    }

    void schemes_areTheClusterBoundOnes()
    {
        for (const char *scheme : {"storage", "image", "job", "secret", "disk", "blob", "flow"})
            QVERIFY(UriNormalizer::isPlatformScheme(QString::fromLatin1(scheme)));
        QVERIFY(!UriNormalizer::isPlatformScheme(QStringLiteral("https")));
        QVERIFY(UriNormalizer::isSecretReference(QStringLiteral("secret:HF_TOKEN")));
        QVERIFY(!UriNormalizer::isSecretReference(QStringLiteral("my secret:x")));
    }
};

QTEST_GUILESS_MAIN(tst_UriNormalizer)
#include "tst_urinormalizer.moc"
