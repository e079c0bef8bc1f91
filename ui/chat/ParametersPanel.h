// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chat/ChatRequest.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace ApoloDeploy {

// Temperature, top_p, max tokens, system prompt, how thinking starts, and vLLM's extra fields
// as a JSON object. Each number has a "default" position (its minimum) meaning "not sent":
// R1-family models then get 0.6 / 0.95. Extra fields that do not parse are shown as an error
// and not applied; the last valid ones stay in use.
class ParametersPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ParametersPanel(QWidget *parent = nullptr);

    void setParameters(const ChatParameters &parameters);
    ChatParameters parameters() const;
    // Shows which defaults apply to the current model.
    void setReasoningModel(bool reasoning);
    QString extraFieldsError() const;

Q_SIGNALS:
    void parametersChanged(const ApoloDeploy::ChatParameters &parameters);

private:
    QDoubleSpinBox *m_temperature;
    QDoubleSpinBox *m_topP;
    QSpinBox *m_maxTokens;
    QComboBox *m_thinking;
    QPlainTextEdit *m_system;
    QLineEdit *m_extra;
    QLabel *m_extraError;
    QLabel *m_defaultsNote;
    QJsonObject m_extraFields;
    bool m_updating = false;
};

} // namespace ApoloDeploy
