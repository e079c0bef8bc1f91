// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/ChatEndpoint.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTabWidget;

namespace ApoloDeploy {

// How to reach the endpoint from elsewhere: base URL, model name and copyable curl and Python
// snippets (the key appears only as an environment variable reference), plus a warning when
// the endpoint needs no authentication or uses plain http.
class EndpointCard final : public QWidget
{
    Q_OBJECT

public:
    explicit EndpointCard(QWidget *parent = nullptr);

    void setEndpoint(const ChatEndpoint &endpoint, const QString &model);
    QString curlText() const;
    QString pythonText() const;
    QString warningText() const;

private:
    QLabel *m_url;
    QLabel *m_model;
    QLabel *m_warning;
    QTabWidget *m_snippets;
    QPlainTextEdit *m_curl;
    QPlainTextEdit *m_python;
};

} // namespace ApoloDeploy
