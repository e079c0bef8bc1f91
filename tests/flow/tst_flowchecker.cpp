// SPDX-License-Identifier: GPL-3.0-or-later
// live.yml reading and checking with apolo-flow's rules, on the seed guide's file and on
// hand-written faults, each reported with its line:column.

#include "flow/FlowChecker.h"
#include "flow/FlowWriter.h"

#include <QFile>
#include <QTest>

using namespace ApoloDeploy;

namespace {

QByteArray readData(const char *name)
{
    QFile file(QStringLiteral(ADC_TEST_DATA_DIR "/flow/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", name);
    return file.readAll();
}

const FlowIssue *find(const QList<FlowIssue> &issues, const char *code)
{
    for (const FlowIssue &issue : issues) {
        if (issue.code == QLatin1String(code))
            return &issue;
    }
    return nullptr;
}

int count(const QList<FlowIssue> &issues, const char *code)
{
    return int(std::count_if(issues.cbegin(), issues.cend(),
                             [code](const FlowIssue &i) { return i.code == QLatin1String(code); }));
}

} // namespace

class TestFlowChecker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedGuide_parsesWithoutErrorsButWithItsPitfalls()
    {
        const FlowReadResult result = FlowChecker::readAndCheck(readData("seed-guide-live.yml"));
        QVERIFY(result.parsed);
        QVERIFY2(!FlowChecker::hasErrors(result.issues),
                 qPrintable(FlowChecker::format(result.issues, QStringLiteral("seed"))));
        QCOMPARE(result.flow.jobs.size(), 3);
        QCOMPARE(result.flow.jobs.at(1).id, QStringLiteral("ray_head"));
        // Bug 1: inspect_job('ray-worker') takes a job id.
        const FlowIssue *inspect = find(result.issues, "seed-inspect-job-name");
        QVERIFY(inspect);
        QCOMPARE(inspect->position.line, 26);
        QVERIFY(inspect->fix.contains(QLatin1String("inspect_job('ray_worker')")));
        // Bug 3: two commands separated only by the folded line break.
        const FlowIssue *separator = find(result.issues, "seed-no-separator");
        QVERIFY(separator);
        QCOMPARE(separator->severity, FlowIssue::Severity::Warning);
        QCOMPARE(separator->position.line, 56);
        // Bug 7: the head exposes a port nobody serves; bug 8: life_span repeated.
        QVERIFY(find(result.issues, "seed-head-http-port"));
        QCOMPARE(count(result.issues, "seed-redundant-life-span"), 2);
        // Bug 9: web resolves inspect_job when it starts.
        QVERIFY(find(result.issues, "seed-inspect-order"));
        // The folded block keeps the line break before the more-indented line.
        QVERIFY(result.flow.job(u"ray_worker")->text(u"cmd").contains(QLatin1String(":6379\n  python3")));
    }

    void reindentedSeedCommand_isAnError()
    {
        const QByteArray yaml = "kind: live\n"
                                "jobs:\n"
                                "  ray_worker:\n"
                                "    image: vllm/vllm-openai:v0.7.2\n"
                                "    entrypoint: bash\n"
                                "    cmd: >\n"
                                "      -c 'ray start --address=h:6379\n"
                                "      python3 -m vllm.entrypoints.openai.api_server --model m'\n";
        const FlowReadResult result = FlowChecker::readAndCheck(yaml);
        const FlowIssue *issue = find(result.issues, "seed-no-separator");
        QVERIFY(issue);
        QVERIFY(issue->isError());
        QCOMPARE(issue->position.line, 6);
    }

    void strictKeys_andIdentifiers_reportPositions()
    {
        const QByteArray yaml = "kind: live\n"
                                "life_span: 1d\n"
                                "jobs:\n"
                                "  ray-head:\n"
                                "    image: x/y:1\n"
                                "    with: 3\n"
                                "    cmd: a\n"
                                "    bash: b\n";
        const FlowReadResult result = FlowChecker::readAndCheck(yaml);
        const FlowIssue *top = find(result.issues, "top-level-batch-key");
        QVERIFY(top);
        QCOMPARE(top->position.line, 2);
        QVERIFY(top->fix.contains(QLatin1String("defaults")));
        const FlowIssue *id = find(result.issues, "bad-id");
        QVERIFY(id);
        QCOMPARE(id->position.line, 4);
        QCOMPARE(id->position.column, 3);
        QVERIFY(id->fix.contains(QLatin1String("ray_head")));
        const FlowIssue *unknown = find(result.issues, "unknown-key");
        QVERIFY(unknown);
        QCOMPARE(unknown->position.line, 6);
        QVERIFY(find(result.issues, "exclusive-command"));
    }

    void valueRules_durationsRestartNamesBooleans()
    {
        const QByteArray yaml = "kind: live\n"
                                "defaults:\n"
                                "  life_span: 30m1h\n"
                                "jobs:\n"
                                "  a:\n"
                                "    image: x/y:1\n"
                                "    name: job-a\n"
                                "    restart: sometimes\n"
                                "    http_auth: \"false\"\n"
                                "    detach: maybe\n"
                                "    browse: true\n"
                                "    port_forward: [\"22\"]\n"
                                "    env:\n"
                                "      FLAG: yes\n"
                                "      MODE: 010\n"
                                "      EMPTY:\n"
                                "      OK: \"yes\"\n";
        const FlowReadResult result = FlowChecker::readAndCheck(yaml);
        QCOMPARE(find(result.issues, "bad-duration")->position.line, 3);
        QCOMPARE(find(result.issues, "bad-job-name")->position.line, 7);
        QCOMPARE(find(result.issues, "bad-restart")->position.line, 8);
        QCOMPARE(find(result.issues, "quoted-bool")->position.line, 9);
        QCOMPARE(find(result.issues, "bad-bool")->position.line, 10);
        QVERIFY(find(result.issues, "browse-without-port"));
        QVERIFY(find(result.issues, "bad-port-forward"));
        QCOMPARE(count(result.issues, "yaml11-retyped"), 2);
        QVERIFY(find(result.issues, "yaml11-retyped")->message.contains(QLatin1String("\"True\"")));
        QCOMPARE(find(result.issues, "env-null")->position.line, 16);
    }

    void expressions_syntaxAndReferences()
    {
        const QByteArray yaml = "kind: live\n"
                                "jobs:\n"
                                "  a:\n"
                                "    image: x/y:1\n"
                                "    volumes:\n"
                                "      - ${{ volumes.nope.ref_rw }}\n"
                                "    env:\n"
                                "      A: ${{ 1==1 }}\n"
                                "      B: ${{ fancy(1) }}\n"
                                "      C: ${{ inspect_job('missing').http_url }}\n"
                                "      D: ${{ flow.project_id\n"
                                "      E: $[[ flow.flow_id ]]-${{ secrets.x }}\n";
        const FlowReadResult result = FlowChecker::readAndCheck(yaml);
        const QString all = FlowChecker::format(result.issues, QStringLiteral("t"));
        QVERIFY2(all.contains(QLatin1String("no volume 'nope'")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("space after the operator '=='")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("no function 'fancy'")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("inspect_job('missing')")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("never closed")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("'secrets' is not a context")), qPrintable(all));
        QVERIFY(all.contains(QLatin1String("t:8:")));
    }

    void notYaml_reportsPosition()
    {
        const FlowReadResult result = FlowChecker::readAndCheck("kind: live\njobs:\n  a: [1, 2\n");
        QVERIFY(!result.parsed);
        QCOMPARE(result.issues.size(), 1);
        QCOMPARE(result.issues.constFirst().code, QStringLiteral("yaml-syntax"));
        QVERIFY(result.issues.constFirst().position.line >= 3);
    }

    void writer_roundTripKeepsValuesAndTypes()
    {
        const FlowReadResult seed = FlowChecker::readAndCheck(readData("seed-guide-live.yml"));
        const QByteArray written = FlowWriter::write(seed.flow, QStringLiteral(" rewritten"));
        const FlowReadResult again = FlowChecker::readAndCheck(written);
        QVERIFY2(!FlowChecker::hasErrors(again.issues), written.constData());
        QCOMPARE(again.flow.jobs.size(), seed.flow.jobs.size());
        for (qsizetype i = 0; i < seed.flow.jobs.size(); ++i) {
            const FlowJob &a = seed.flow.jobs.at(i);
            const FlowJob &b = again.flow.jobs.at(i);
            QCOMPARE(b.id, a.id);
            QCOMPARE(b.text(u"cmd"), a.text(u"cmd"));
            QCOMPARE(b.scalar(u"http_auth").plain, a.scalar(u"http_auth").plain);
            QCOMPARE(b.env.size(), a.env.size());
            for (qsizetype e = 0; e < a.env.size(); ++e) {
                QCOMPARE(b.env.at(e).second.text, a.env.at(e).second.text);
                QVERIFY(!b.env.at(e).second.plain); // env values are always quoted on export
            }
        }
        QVERIFY(written.startsWith("# rewritten"));
    }
};

QTEST_GUILESS_MAIN(TestFlowChecker)
#include "tst_flowchecker.moc"
