// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/logs/DiagnosisCard.h"

#include <QClipboard>
#include <QGridLayout>
#include <QGuiApplication>
#include <QLabel>
#include <QPushButton>

namespace ApoloDeploy {

DiagnosisCard::DiagnosisCard(QWidget *parent)
    : QFrame(parent)
    , m_title(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_showLine(new QPushButton(tr("Show line"), this))
    , m_copyFix(new QPushButton(tr("Copy fix"), this))
{
    setObjectName(QStringLiteral("diagnosisCard"));
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Diagnosis"));
    m_title->setObjectName(QStringLiteral("diagnosisTitleLabel"));
    m_hint->setObjectName(QStringLiteral("diagnosisHintLabel"));
    m_showLine->setObjectName(QStringLiteral("showLinePushButton"));
    m_copyFix->setObjectName(QStringLiteral("copyFixPushButton"));
    for (QLabel *label : {m_title, m_hint}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    auto *layout = new QGridLayout(this);
    layout->addWidget(m_title, 0, 0);
    layout->addWidget(m_hint, 1, 0);
    layout->addWidget(m_showLine, 0, 1);
    layout->addWidget(m_copyFix, 1, 1);
    layout->setColumnStretch(0, 1);
    connect(m_showLine, &QPushButton::clicked, this, [this] { Q_EMIT showLineRequested(m_line); });
    connect(m_copyFix, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(m_hint->text()); });
    hide();
}

void DiagnosisCard::showDiagnosis(const QString &jobLabel, const Logs::Diagnosis &diagnosis)
{
    m_line = diagnosis.line;
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QString tint = diagnosis.fatal ? (dark ? QStringLiteral("#5c2b29") : QStringLiteral("#fce8e6"))
                                         : (dark ? QStringLiteral("#5c4a1e") : QStringLiteral("#fef7e0"));
    setStyleSheet(QStringLiteral("#diagnosisCard { background: %1; border-radius: 4px; }").arg(tint));
    const QString what = diagnosis.fatal ? tr("%1 failed").arg(jobLabel) : tr("%1: warning").arg(jobLabel);
    m_title->setText(QStringLiteral("<b>%1:</b> %2").arg(what.toHtmlEscaped(), diagnosis.title.toHtmlEscaped()));
    m_hint->setText(diagnosis.hint);
    m_hint->setTextFormat(Qt::PlainText);
    m_showLine->setVisible(diagnosis.line > 0);
    show();
}

QString DiagnosisCard::titleText() const
{
    return m_title->text();
}

QString DiagnosisCard::hintText() const
{
    return m_hint->text();
}

} // namespace ApoloDeploy
