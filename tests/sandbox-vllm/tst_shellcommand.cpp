// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/workloads/ShellCommand.h"

#include <QTest>

using namespace ApoloDeploy::Sandbox;
using Join = ShellStep::Join;

class TestShellCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void words_splitLikeShlex()
    {
        QCOMPARE(splitShellWords(QStringLiteral("-c 'a b' \"c \\\"d\\\"\" e\\ f")),
                 (QStringList{QStringLiteral("-c"), QStringLiteral("a b"), QStringLiteral("c \"d\""),
                              QStringLiteral("e f")}));
        QString error;
        QVERIFY(splitShellWords(QStringLiteral("echo 'open"), &error).isEmpty());
        QCOMPARE(error, QStringLiteral("unexpected EOF while looking for matching `''"));
    }

    void guideWorkerCommand_unfoldsIntoRayThenVllm()
    {
        // apolo run … --entrypoint bash vllm/vllm-openai:v0.7.2 -- -c '…' (the seed guide's CLI form).
        const ShellParse parse = containerSteps(
            {}, QStringLiteral("bash"),
            QStringLiteral("-c '\nray start --address=ray-head--0e1436ea6a.platform-jobs:6379; python3 -m "
                           "vllm.entrypoints.openai.api_server --model cognitivecomputations/DeepSeek-R1-AWQ "
                           "--tensor-parallel-size=8\n'"));
        QVERIFY(parse.error.isEmpty());
        QCOMPARE(parse.steps.size(), 2);
        QCOMPARE(parse.steps.at(0).argv,
                 (QStringList{QStringLiteral("ray"), QStringLiteral("start"),
                              QStringLiteral("--address=ray-head--0e1436ea6a.platform-jobs:6379")}));
        QCOMPARE(parse.steps.at(1).join, Join::Always);
        QCOMPARE(parse.steps.at(1).argv.value(2), QStringLiteral("vllm.entrypoints.openai.api_server"));
        // The flow form puts the two commands on separate lines.
        const ShellParse flow = containerSteps({}, QStringLiteral("bash"),
                                               QStringLiteral("-c 'ray start --address=h:6379\n  python3 -m x'"));
        QCOMPARE(flow.steps.size(), 2);
    }

    void operators_areKeptApartFromQuotedText()
    {
        const ShellParse parse = parseShellList(QStringLiteral("a && b || c & d; echo '&& ;' # comment"));
        QVERIFY(parse.error.isEmpty());
        QCOMPARE(parse.steps.size(), 5);
        QCOMPARE(parse.steps.at(0).join, Join::First);
        QCOMPARE(parse.steps.at(1).join, Join::IfSuccess);
        QCOMPARE(parse.steps.at(2).join, Join::IfFailure);
        QCOMPARE(parse.steps.at(3).join, Join::Background);
        QCOMPARE(parse.steps.at(4).argv, (QStringList{QStringLiteral("echo"), QStringLiteral("&& ;")}));
        QCOMPARE(parseShellList(QStringLiteral("a &&\n b")).steps.size(), 2);
        QCOMPARE(parseShellList(QStringLiteral("&& b")).error,
                 QStringLiteral("syntax error near unexpected token `&&'"));
    }

    void imageEntrypoint_isUsedWithoutAnOverride()
    {
        const QStringList vllm{QStringLiteral("python3"), QStringLiteral("-m"),
                               QStringLiteral("vllm.entrypoints.openai.api_server")};
        const ShellParse parse = containerSteps(vllm, {}, QStringLiteral("--model m/x --port 8000"));
        QCOMPARE(parse.steps.size(), 1);
        const QStringList expected = vllm + QStringList{QStringLiteral("--model"), QStringLiteral("m/x"),
                                                        QStringLiteral("--port"), QStringLiteral("8000")};
        QCOMPARE(parse.steps.first().argv, expected);
        const ShellParse head = containerSteps(vllm, QStringLiteral("ray"), QStringLiteral("start --block --head"));
        QCOMPARE(head.steps.first().argv.first(), QStringLiteral("ray"));
    }
};

QTEST_GUILESS_MAIN(TestShellCommand)
#include "tst_shellcommand.moc"
