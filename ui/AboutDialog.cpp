// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/AboutDialog.h"

#include "core/AppInfo.h"
#include "ui/IconProvider.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ApoloDeploy {

namespace {
constexpr int logoSize = 64;
constexpr int debugInfoLines = 8;
} // namespace

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
    , m_debugInfoEdit(new QPlainTextEdit(this))
    , m_copyButton(new QPushButton(IconProvider::icon(IconId::Copy, palette()), tr("&Copy to Clipboard"), this))
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Apolo Deploy Console"));

    auto *logoLabel = new QLabel(this);
    logoLabel->setObjectName(QStringLiteral("logoLabel"));
    logoLabel->setPixmap(IconProvider::applicationIcon().pixmap(logoSize, logoSize));
    logoLabel->setAccessibleName(tr("Apolo Deploy Console logo"));

    auto *titleLabel =
        new QLabel(QStringLiteral("<h2>%1</h2><p>%2</p>")
                       .arg(tr("Apolo Deploy Console").toHtmlEscaped(),
                            tr("Version %1 (git %2)").arg(AppInfo::version(), AppInfo::gitHash()).toHtmlEscaped()),
                   this);
    titleLabel->setObjectName(QStringLiteral("titleLabel"));
    auto *summaryLabel = new QLabel(tr("Plan, launch, watch and chat with large language models on the Apolo "
                                       "platform."),
                                    this);
    summaryLabel->setObjectName(QStringLiteral("summaryLabel"));
    summaryLabel->setWordWrap(true);

    auto *licenceLabel = new QLabel(licenceText(), this);
    licenceLabel->setObjectName(QStringLiteral("licenceLabel"));
    licenceLabel->setWordWrap(true);
    licenceLabel->setTextInteractionFlags(Qt::TextBrowserInteraction);
    licenceLabel->setOpenExternalLinks(true);

    m_debugInfoEdit->setObjectName(QStringLiteral("debugInfoPlainTextEdit"));
    m_debugInfoEdit->setAccessibleName(tr("Build and system information"));
    m_debugInfoEdit->setReadOnly(true);
    m_debugInfoEdit->setPlainText(AppInfo::buildInfo());
    m_debugInfoEdit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_debugInfoEdit->setFixedHeight(m_debugInfoEdit->fontMetrics().lineSpacing() * debugInfoLines);

    m_copyButton->setObjectName(QStringLiteral("copyPushButton"));
    m_copyButton->setAccessibleName(tr("Copy build and system information to the clipboard"));
    connect(m_copyButton, &QPushButton::clicked, this, &AboutDialog::copyToClipboard);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("closeDialogButtonBox"));
    buttons->addButton(m_copyButton, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *header = new QHBoxLayout;
    header->addWidget(logoLabel, 0, Qt::AlignTop);
    auto *headerText = new QVBoxLayout;
    headerText->addWidget(titleLabel);
    headerText->addWidget(summaryLabel);
    header->addLayout(headerText, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(licenceLabel);
    layout->addWidget(m_debugInfoEdit);
    layout->addWidget(buttons);
    resize(sizeHint().expandedTo(QSize(560, 0)));
}

QString AboutDialog::debugInfo() const
{
    return m_debugInfoEdit->toPlainText();
}

QString AboutDialog::licenceText()
{
    return tr("<p>Apolo Deploy Console is free software: you can redistribute it and/or modify it under the terms "
              "of the GNU General Public License, version 3 or (at your option) any later version "
              "(GPL-3.0-or-later). It comes with ABSOLUTELY NO WARRANTY.</p>"
              "<p>It uses Qt (LGPL-3.0), Qt Charts (GPL-3.0, which is why the whole application is GPL-3), "
              "QtKeychain (BSD-2-Clause), yaml-cpp (MIT) and SQLite (public domain). "
              "See <a href=\"https://www.gnu.org/licenses/gpl-3.0.html\">the GNU GPL</a>.</p>");
}

void AboutDialog::copyToClipboard()
{
    QGuiApplication::clipboard()->setText(debugInfo());
    m_copyButton->setText(tr("Copied"));
}

} // namespace ApoloDeploy
