// SPDX-License-Identifier: GPL-3.0-or-later
// The planner's rules inside the deployment validator: what vLLM refuses at start-up is refused
// before anything is created, next to the field to change and with the fix in the message.

#include "DeploymentSamples.h"
#include "deploy/PlanFitRule.h"
#include "planner/ModelCatalog.h"

#include <QTest>

using namespace ApoloDeploy;

namespace {

QList<ValidationIssue> validateWithPlanner(const Deployment &d)
{
    DeploymentValidator validator;
    PlanFitRule().installIn(validator);
    return validator.validate(d);
}

const ValidationIssue *find(const QList<ValidationIssue> &issues, const char *field, bool error)
{
    for (const ValidationIssue &issue : issues) {
        if (issue.field == QLatin1String(field) && issue.isError() == error)
            return &issue;
    }
    return nullptr;
}

} // namespace

class TestPlanFitRule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void flagship_fits()
    {
        for (int nodes : {2, 3}) {
            const auto issues = validateWithPlanner(Test::deepSeekR1(nodes));
            QVERIFY2(!DeploymentValidator::hasErrors(issues), qPrintable(DeploymentValidator::format(issues)));
        }
    }

    void headsNotDivisibleByTp_isAnErrorOnTp()
    {
        Deployment d = Test::deepSeekR1();
        d.tensorParallel = 6; // 128 heads
        const auto issues = validateWithPlanner(d);
        const ValidationIssue *issue = find(issues, "tensorParallel", true);
        QVERIFY2(issue, qPrintable(DeploymentValidator::format(issues)));
        QVERIFY2(issue->message.contains(QLatin1String("divisible")), qPrintable(issue->message));
        // Only sizes that fit one node of the preset (8 GPUs) are suggested.
        QVERIFY2(issue->message.endsWith(QLatin1String("Use --tp 1, 2, 4, 8")), qPrintable(issue->message));
    }

    void contextBeyondKvPool_isAnErrorWithTheLengthThatFits()
    {
        Deployment d = Test::deepSeekR1();
        d.maxModelLen = 163840;
        d.gpuMemoryUtilization = 0.4;
        const auto issues = validateWithPlanner(d);
        const ValidationIssue *issue = find(issues, "maxModelLen", true);
        QVERIFY2(issue, qPrintable(DeploymentValidator::format(issues)));
        QVERIFY2(issue->message.contains(QLatin1String("Use --max-model-len ")), qPrintable(issue->message));
    }

    void weightsBeyondOneNode_isAnErrorOnNodes()
    {
        Deployment d = Test::deepSeekR1(1);
        d.model = QStringLiteral("deepseek-ai/DeepSeek-R1"); // FP8, ~640 GiB of weights on 8 x 80 GB
        d.maxModelLen = 8192;
        const auto issues = validateWithPlanner(d);
        const ValidationIssue *issue = find(issues, "pipelineParallel", true);
        QVERIFY2(issue, qPrintable(DeploymentValidator::format(issues)));
        QVERIFY2(issue->message.contains(QLatin1String("weights do not fit")), qPrintable(issue->message));
    }

    void contextBeyondTheModel_isAnError()
    {
        Deployment d = Test::deepSeekR1(3);
        d.maxModelLen = 400000;
        const auto issues = validateWithPlanner(d);
        const ValidationIssue *issue = find(issues, "maxModelLen", true);
        QVERIFY2(issue, qPrintable(DeploymentValidator::format(issues)));
        QVERIFY2(issue->message.contains(QLatin1String("163840")), qPrintable(issue->message));
    }

    void unknownModel_warnsThatFitIsNotChecked_andKnownConfigIsUsed()
    {
        Deployment d = Test::deepSeekR1();
        d.model = QStringLiteral("someone/SomeModel-7B");
        auto issues = validateWithPlanner(d);
        QVERIFY(!DeploymentValidator::hasErrors(issues));
        QVERIFY(find(issues, "model", false));

        // Once the planner fetched its config, the checks apply (here: the AWQ R1's, TP 6 fails).
        PlanFitRule rule;
        const std::optional<Planner::CatalogModel> r1 = Planner::ModelCatalog::builtIn().find(Test::deepSeekR1().model);
        QVERIFY(r1);
        rule.addModel(d.model, r1->config);
        d.tensorParallel = 6;
        issues = rule(d);
        QVERIFY(find(issues, "tensorParallel", true));
    }

    void awqPipelineRisk_warnedOnlyForV1Images()
    {
        const auto hasRisk = [](const Deployment &d) {
            const QList<ValidationIssue> issues = PlanFitRule()(d);
            return std::any_of(issues.cbegin(), issues.cend(),
                               [](const ValidationIssue &i) { return i.message.contains(QLatin1String("15332")); });
        };
        Deployment d = Test::deepSeekR1(2); // vllm/vllm-openai:v0.7.2 runs the V0 engine
        QVERIFY(!hasRisk(d));
        d.image = QStringLiteral("vllm/vllm-openai:v0.10.0");
        QVERIFY(hasRisk(d));
        d.image = QStringLiteral("vllm/vllm-openai:latest");
        QVERIFY(hasRisk(d));
        d.image = QStringLiteral("vllm/vllm-openai:v0.7.3");
        d.extraEnv.insert(QStringLiteral("VLLM_USE_V1"), QStringLiteral("1"));
        QVERIFY(hasRisk(d));
    }

    void unknownPreset_isLeftToTheBuiltInChecks()
    {
        Deployment d = Test::deepSeekR1();
        d.preset = QStringLiteral("no-such-preset");
        QVERIFY(PlanFitRule()(d).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPlanFitRule)
#include "tst_planfitrule.moc"
