// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApoloTestData.h"
#include "apolo/JobPayload.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace ApoloDeploy;

namespace {

const ProjectScope scope{QStringLiteral("c1"), QStringLiteral("acme"), QStringLiteral("research")};

// The seed guide's Ray head: apolo run --preset dgx --name ray-head --life-span 10d
//   -v storage:hf-cache:/root/.cache/huggingface -e HF_TOKEN=secret:HF_TOKEN --entrypoint ray
//   vllm/vllm-openai:v0.7.2 -- start --block --head --port=6379
JobRequest rayHead()
{
    JobRequest request;
    request.image = QStringLiteral("vllm/vllm-openai:v0.7.2");
    request.entrypoint = QStringLiteral("ray");
    request.command = QStringLiteral("start --block --head --port=6379");
    request.presetName = QStringLiteral("dgx");
    request.name = QStringLiteral("ray-head");
    request.maxRunTimeMinutes = 14400;
    request.env.insert(QStringLiteral("HF_TOKEN"), QStringLiteral("secret:HF_TOKEN"));
    request.volumes << StorageVolumeMount{QStringLiteral("storage:hf-cache"),
                                          QStringLiteral("/root/.cache/huggingface"), false};
    return request;
}

} // namespace

class tst_JobPayload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void build_rayHeadAsApoloRunSendsIt()
    {
        const ApoloResult<QJsonObject> body = JobPayload::build(rayHead(), scope);
        QVERIFY2(body.ok(), qPrintable(body.error().toString()));
        const QJsonObject expected = QJsonDocument::fromJson(apoloFixture("payload-ray-head.json")).object();
        QCOMPARE(body.value(), expected);
    }

    void build_httpAndTagsAndOptionalFields()
    {
        JobRequest request = rayHead();
        request.http = JobHttp{8000, false, {}};
        request.tags = QStringList{QStringLiteral("deepseek")};
        request.description = QStringLiteral("serving worker");
        request.restartPolicy = QStringLiteral("on-failure");
        request.maxRunTimeMinutes.reset();
        request.scope.project = QStringLiteral("other");
        request.image = QStringLiteral("image:my/vllm");
        const ApoloResult<QJsonObject> body =
            JobPayload::build(request, scope, QStringLiteral("registry.c1.org.apolo.us"));
        QVERIFY2(body.ok(), qPrintable(body.error().toString()));
        QCOMPARE(body->value(u"http").toObject(), QJsonObject({{"port", 8000}, {"requires_auth", false}}));
        QCOMPARE(body->value(u"tags").toArray(), QJsonArray({"deepseek"}));
        QVERIFY(!body->contains(u"max_run_time_minutes"));
        QCOMPARE(body->value(u"restart_policy").toString(), QStringLiteral("on-failure"));
        QCOMPARE(body->value(u"project_name").toString(), QStringLiteral("other"));
        QCOMPARE(body->value(u"secret_env").toObject().value(u"HF_TOKEN").toString(),
                 QStringLiteral("secret://c1/acme/other/HF_TOKEN"));
        QCOMPARE(body->value(u"image").toString(),
                 QStringLiteral("registry.c1.org.apolo.us/acme/other/my/vllm:latest"));
    }

    void build_refusesWhatTheServerWould_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::newRow("short name") << "name"
                                    << "ab";
        QTest::newRow("upper name") << "name"
                                    << "Ray-Head";
        QTest::newRow("job- prefix") << "name"
                                     << "job-head";
        QTest::newRow("double dash") << "name"
                                     << "ray--head";
        QTest::newRow("relative mount") << "mount"
                                        << "cache";
        QTest::newRow("parent segment") << "volume"
                                        << "storage:../x";
        QTest::newRow("wrong volume scheme") << "volume"
                                             << "secret:x";
        QTest::newRow("tag with space") << "tag"
                                        << "a b";
        QTest::newRow("no image") << "image"
                                  << "";
        QTest::newRow("bad secret") << "secret"
                                    << "secret:~x";
    }
    void build_refusesWhatTheServerWould()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        JobRequest request = rayHead();
        if (field == QLatin1String("name"))
            request.name = value;
        else if (field == QLatin1String("mount"))
            request.volumes.first().dstPath = value;
        else if (field == QLatin1String("volume"))
            request.volumes.first().srcStorageUri = value;
        else if (field == QLatin1String("tag"))
            request.tags << value;
        else if (field == QLatin1String("image"))
            request.image = value;
        else if (field == QLatin1String("secret"))
            request.env.insert(QStringLiteral("HF_TOKEN"), value);
        const ApoloResult<QJsonObject> body = JobPayload::build(request, scope);
        QVERIFY(!body.ok());
        QCOMPARE(body.error().kind, ApoloError::Kind::Validation);
        QVERIFY(!body.error().message.isEmpty());
    }

    void build_duplicateMountRefused()
    {
        JobRequest request = rayHead();
        request.secretVolumes << SecretVolumeMount{QStringLiteral("secret:k"),
                                                   QStringLiteral("/root/.cache/huggingface")};
        QVERIFY(!JobPayload::build(request, scope).ok());
    }

    void build_needsAScope() { QVERIFY(!JobPayload::build(rayHead(), ProjectScope{}).ok()); }
};

QTEST_GUILESS_MAIN(tst_JobPayload)
#include "tst_jobpayload.moc"
