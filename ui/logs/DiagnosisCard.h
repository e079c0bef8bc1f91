// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "logs/FailureDiagnoser.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace ApoloDeploy {

// What failed and how to fix it, pinned above the log so the cause stays visible however many
// lines follow (peers.md: "pinned first error", "keeps the crash output").
class DiagnosisCard final : public QFrame
{
    Q_OBJECT

public:
    explicit DiagnosisCard(QWidget *parent = nullptr);

    void showDiagnosis(const QString &jobLabel, const Logs::Diagnosis &diagnosis);
    QString titleText() const;
    QString hintText() const;

Q_SIGNALS:
    // The user wants to see the failing line.
    void showLineRequested(qint64 lineNumber);

private:
    QLabel *m_title;
    QLabel *m_hint;
    QPushButton *m_showLine;
    QPushButton *m_copyFix;
    qint64 m_line = 0;
};

} // namespace ApoloDeploy
