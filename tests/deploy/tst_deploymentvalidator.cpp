// SPDX-License-Identifier: GPL-3.0-or-later
// Every rule checked before anything is created, each message saying what to change.

#include "DeploymentSamples.h"
#include "deploy/DeploymentValidator.h"

#include <QTest>

using namespace ApoloDeploy;

namespace {

QStringList errorFields(const QList<ValidationIssue> &issues)
{
    QStringList fields;
    for (const ValidationIssue &issue : issues) {
        if (issue.isError())
            fields << issue.field;
    }
    return fields;
}

} // namespace

class TestDeploymentValidator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void flagship_isValid()
    {
        const auto issues = DeploymentValidator().validate(Test::deepSeekR1());
        QVERIFY2(!DeploymentValidator::hasErrors(issues), qPrintable(DeploymentValidator::format(issues)));
    }

    void invalidFields_eachReported_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expectedText");
        QTest::newRow("name upper") << "name"
                                    << "lower-case";
        QTest::newRow("name job-") << "name"
                                   << "job-";
        QTest::newRow("name too long") << "name"
                                       << "shorten the deployment name to";
        QTest::newRow("model") << "model"
                               << "Hugging Face";
        QTest::newRow("tp") << "tensorParallel"
                            << "at least 1";
        QTest::newRow("dtype") << "dtype"
                               << "not one of";
        QTest::newRow("utilization") << "gpuMemoryUtilization"
                                     << "at most 1.0";
        QTest::newRow("kv") << "kvCacheDtype"
                            << "not one of";
        QTest::newRow("extra managed") << "extraVllmArgs"
                                       << "set by the form";
        QTest::newRow("extra api key") << "extraVllmArgs"
                                       << "secret";
        QTest::newRow("volume") << "hfCacheVolume"
                                << "storage";
        QTest::newRow("mount") << "hfCacheMount"
                               << "absolute";
        QTest::newRow("life span") << "lifeSpan"
                                   << "not a duration";
        QTest::newRow("short life span") << "lifeSpan"
                                         << "one minute";
        QTest::newRow("secret") << "hfTokenSecret"
                                << "secret name";
        QTest::newRow("preset") << "preset"
                                << "first preset";
        QTest::newRow("image") << "image"
                               << "image reference";
    }
    void invalidFields_eachReported()
    {
        QFETCH(QString, field);
        QFETCH(QString, expectedText);
        Deployment d = Test::deepSeekR1(3);
        const QString row = QString::fromLatin1(QTest::currentDataTag());
        if (row == QLatin1String("name upper"))
            d.name = QStringLiteral("Demo");
        else if (row == QLatin1String("name job-"))
            d.name = QStringLiteral("job-demo");
        else if (row == QLatin1String("name too long"))
            d.name = QStringLiteral("a-very-long-deployment-name-for-r1-x"); // + "-worker-1" > 40
        else if (row == QLatin1String("model"))
            d.model = QStringLiteral("not a model");
        else if (row == QLatin1String("tp"))
            d.tensorParallel = 0;
        else if (row == QLatin1String("dtype"))
            d.dtype = QStringLiteral("fp4");
        else if (row == QLatin1String("utilization"))
            d.gpuMemoryUtilization = 1.05;
        else if (row == QLatin1String("kv"))
            d.kvCacheDtype = QStringLiteral("int4");
        else if (row == QLatin1String("extra managed"))
            d.extraVllmArgs = {QStringLiteral("--max-model-len=5")};
        else if (row == QLatin1String("extra api key"))
            d.extraVllmArgs = {QStringLiteral("--api-key"), QStringLiteral("k")};
        else if (row == QLatin1String("volume"))
            d.hfCacheVolume = QStringLiteral("/data/hf");
        else if (row == QLatin1String("mount"))
            d.hfCacheMount = QStringLiteral("cache");
        else if (row == QLatin1String("life span"))
            d.lifeSpan = QStringLiteral("1w");
        else if (row == QLatin1String("short life span"))
            d.lifeSpan = QStringLiteral("30s");
        else if (row == QLatin1String("secret"))
            d.hfTokenSecret = QStringLiteral("HF TOKEN");
        else if (row == QLatin1String("preset"))
            d.preset.clear();
        else if (row == QLatin1String("image"))
            d.image = QStringLiteral("vllm/vllm openai");
        const auto issues = DeploymentValidator().validate(d);
        QVERIFY2(errorFields(issues).contains(field), qPrintable(DeploymentValidator::format(issues)));
        const auto match = std::find_if(issues.cbegin(), issues.cend(), [&](const ValidationIssue &i) {
            return i.field == field && i.message.contains(expectedText);
        });
        QVERIFY2(match != issues.cend(), qPrintable(DeploymentValidator::format(issues)));
    }

    void presetFacts_tpAgainstGpus()
    {
        DeploymentValidator validator;
        validator.setPresetFacts({4, true});
        QVERIFY(errorFields(validator.validate(Test::deepSeekR1())).contains(QStringLiteral("tensorParallel")));
        validator.setPresetFacts({16, true});
        const auto issues = validator.validate(Test::deepSeekR1());
        QVERIFY(!DeploymentValidator::hasErrors(issues));
        QVERIFY(std::any_of(issues.cbegin(), issues.cend(), [](const ValidationIssue &i) {
            return !i.isError() && i.field == QLatin1String("tensorParallel");
        }));
    }

    void extraRules_areAppended()
    {
        DeploymentValidator validator;
        validator.addRule([](const Deployment &) {
            return QList<ValidationIssue>{{ValidationIssue::Severity::Error, QStringLiteral("maxModelLen"),
                                           QStringLiteral("KV cache too small")}};
        });
        QVERIFY(errorFields(validator.validate(Test::deepSeekR1())).contains(QStringLiteral("maxModelLen")));
    }

    void noAuthNoKey_warns()
    {
        Deployment d = Test::deepSeekR1();
        d.httpAuth = false;
        const auto issues = DeploymentValidator().validate(d);
        QVERIFY(!DeploymentValidator::hasErrors(issues));
        QVERIFY(DeploymentValidator::format(issues).contains(QLatin1String("anyone with the URL")));
    }

    void json_roundTrip()
    {
        Deployment d = Test::deepSeekR1(3);
        d.extraEnv.insert(QStringLiteral("VLLM_LOGGING_LEVEL"), QStringLiteral("DEBUG"));
        d.extraVllmArgs = {QStringLiteral("--max-num-seqs"), QStringLiteral("4")};
        d.gpuMemoryUtilization = 0.95;
        d.openWebUi = true;
        QCOMPARE(Deployment::fromJson(d.toJson()), d);
        QCOMPARE(Deployment::fromJson({}).image, QStringLiteral("vllm/vllm-openai:v0.7.2"));
    }
};

QTEST_GUILESS_MAIN(TestDeploymentValidator)
#include "tst_deploymentvalidator.moc"
