// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/ParametersPanel.h"

#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace ApoloDeploy;

class TestParametersPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parameters_roundTripIncludingExtraFields()
    {
        ParametersPanel panel;
        ChatParameters parameters;
        parameters.temperature = 0.3;
        parameters.maxTokens = 4096;
        parameters.systemPrompt = QStringLiteral("Be brief.");
        parameters.extraFields = QJsonObject{{QStringLiteral("top_k"), 20}};
        QSignalSpy changed(&panel, &ParametersPanel::parametersChanged);
        panel.setParameters(parameters);
        QCOMPARE(changed.count(), 0); // setting is not a user change
        QCOMPARE(panel.parameters(), parameters);
    }

    void extraFields_invalidJsonIsShownAndNotApplied()
    {
        ParametersPanel panel;
        auto *edit = panel.findChild<QLineEdit *>(QStringLiteral("extraFieldsLineEdit"));
        auto *error = panel.findChild<QLabel *>(QStringLiteral("extraFieldsErrorLabel"));
        QSignalSpy changed(&panel, &ParametersPanel::parametersChanged);
        edit->setText(QStringLiteral("{\"min_p\": 0.05}"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(panel.parameters().extraFields.value(QLatin1String("min_p")).toDouble(), 0.05);

        edit->setText(QStringLiteral("{\"min_p\": "));
        QCOMPARE(changed.count(), 1);
        QVERIFY(!error->isHidden());
        QVERIFY(error->text().contains(QLatin1String("JSON object")));
        QCOMPARE(panel.parameters().extraFields.value(QLatin1String("min_p")).toDouble(), 0.05); // last valid kept

        edit->setText(QStringLiteral("[1, 2]"));
        QVERIFY(error->text().contains(QLatin1String("must be a JSON object")));

        edit->clear();
        QVERIFY(error->isHidden());
        QVERIFY(panel.parameters().extraFields.isEmpty());
    }
};

QTEST_MAIN(TestParametersPanel)
#include "tst_parameterspanel.moc"
