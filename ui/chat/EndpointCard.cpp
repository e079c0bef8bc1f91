// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/EndpointCard.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace ApoloDeploy {

namespace {

QPlainTextEdit *snippetView(const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *view = new QPlainTextEdit(parent);
    view->setObjectName(objectName);
    view->setAccessibleName(accessibleName);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

} // namespace

EndpointCard::EndpointCard(QWidget *parent)
    : QWidget(parent)
    , m_url(new QLabel(this))
    , m_model(new QLabel(this))
    , m_warning(new QLabel(this))
    , m_snippets(new QTabWidget(this))
    , m_curl(snippetView(QStringLiteral("curlSnippetPlainTextEdit"), tr("curl example"), this))
    , m_python(snippetView(QStringLiteral("pythonSnippetPlainTextEdit"), tr("Python example"), this))
{
    setObjectName(QStringLiteral("endpointCard"));
    m_url->setObjectName(QStringLiteral("endpointUrlLabel"));
    m_model->setObjectName(QStringLiteral("endpointModelLabel"));
    m_warning->setObjectName(QStringLiteral("endpointWarningLabel"));
    for (QLabel *label : {m_url, m_model})
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("QLabel { color: #b26a00; }"));
    m_snippets->setObjectName(QStringLiteral("snippetsTabWidget"));
    m_snippets->addTab(m_curl, QStringLiteral("curl"));
    m_snippets->addTab(m_python, QStringLiteral("Python"));
    auto *copy = new QPushButton(tr("Copy snippet"), this);
    copy->setObjectName(QStringLiteral("copySnippetPushButton"));
    copy->setAccessibleName(tr("Copy the visible code snippet"));
    connect(copy, &QPushButton::clicked, this, [this] {
        const auto *view = qobject_cast<QPlainTextEdit *>(m_snippets->currentWidget());
        if (view)
            QApplication::clipboard()->setText(view->toPlainText());
    });

    auto *form = new QFormLayout;
    form->addRow(tr("Base URL:"), m_url);
    form->addRow(tr("Model:"), m_model);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_warning);
    layout->addWidget(m_snippets, 1);
    layout->addWidget(copy, 0, Qt::AlignRight);
    setEndpoint({}, {});
}

void EndpointCard::setEndpoint(const ChatEndpoint &endpoint, const QString &model)
{
    if (!endpoint.isValid()) {
        m_url->setText(tr("(no endpoint)"));
        m_model->setText(QStringLiteral("-"));
        m_warning->clear();
        m_warning->setVisible(false);
        m_curl->clear();
        m_python->clear();
        return;
    }
    const QString shownModel = model.isEmpty() ? QStringLiteral("MODEL") : model;
    m_url->setText(endpoint.apiUrl(QString()).toString());
    m_model->setText(model.isEmpty() ? tr("(not known yet)") : model);
    m_warning->setText(endpoint.securityWarning());
    m_warning->setVisible(!m_warning->text().isEmpty());
    m_curl->setPlainText(endpoint.curlSnippet(shownModel));
    m_python->setPlainText(endpoint.pythonSnippet(shownModel));
}

QString EndpointCard::curlText() const
{
    return m_curl->toPlainText();
}

QString EndpointCard::pythonText() const
{
    return m_python->toPlainText();
}

QString EndpointCard::warningText() const
{
    return m_warning->text();
}

} // namespace ApoloDeploy
