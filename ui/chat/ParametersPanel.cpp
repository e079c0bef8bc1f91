// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/ParametersPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSpinBox>

namespace ApoloDeploy {

namespace {
constexpr double unsetDouble = -0.05;
}

ParametersPanel::ParametersPanel(QWidget *parent)
    : QWidget(parent)
    , m_temperature(new QDoubleSpinBox(this))
    , m_topP(new QDoubleSpinBox(this))
    , m_maxTokens(new QSpinBox(this))
    , m_thinking(new QComboBox(this))
    , m_system(new QPlainTextEdit(this))
    , m_defaultsNote(new QLabel(this))
{
    setObjectName(QStringLiteral("parametersPanel"));
    m_temperature->setObjectName(QStringLiteral("temperatureDoubleSpinBox"));
    m_temperature->setAccessibleName(tr("Temperature"));
    m_temperature->setRange(unsetDouble, 2.0);
    m_temperature->setSingleStep(0.05);
    m_temperature->setSpecialValueText(tr("model default"));
    m_topP->setObjectName(QStringLiteral("topPDoubleSpinBox"));
    m_topP->setAccessibleName(tr("Top p"));
    m_topP->setRange(unsetDouble, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setSpecialValueText(tr("model default"));
    m_maxTokens->setObjectName(QStringLiteral("maxTokensSpinBox"));
    m_maxTokens->setAccessibleName(tr("Maximum tokens to generate"));
    m_maxTokens->setRange(0, 1000000);
    m_maxTokens->setSingleStep(256);
    m_maxTokens->setSpecialValueText(tr("rest of the context"));
    m_thinking->setObjectName(QStringLiteral("thinkingStartComboBox"));
    m_thinking->setAccessibleName(tr("How the model's thinking starts"));
    m_thinking->addItem(tr("Detect from the model name"), int(ChatParameters::ThinkingStart::Auto));
    m_thinking->addItem(tr("Starts thinking (template pre-fills <think>)"), int(ChatParameters::ThinkingStart::Thinking));
    m_thinking->addItem(tr("Only with an explicit <think>"), int(ChatParameters::ThinkingStart::Answer));
    m_system->setObjectName(QStringLiteral("systemPromptPlainTextEdit"));
    m_system->setAccessibleName(tr("System prompt"));
    m_system->setPlaceholderText(tr("System prompt (none by default; DeepSeek advises none for R1)"));
    m_system->setMaximumHeight(90);
    m_defaultsNote->setObjectName(QStringLiteral("defaultsNoteLabel"));
    m_defaultsNote->setWordWrap(true);
    m_defaultsNote->setStyleSheet(QStringLiteral("QLabel { color: palette(placeholder-text); }"));

    auto *form = new QFormLayout(this);
    form->addRow(tr("Temperature:"), m_temperature);
    form->addRow(tr("Top p:"), m_topP);
    form->addRow(tr("Max tokens:"), m_maxTokens);
    form->addRow(tr("Thinking:"), m_thinking);
    form->addRow(tr("System:"), m_system);
    form->addRow(m_defaultsNote);
    setReasoningModel(false);

    const auto emitChanged = [this] {
        if (!m_updating)
            Q_EMIT parametersChanged(parameters());
    };
    connect(m_temperature, &QDoubleSpinBox::valueChanged, this, emitChanged);
    connect(m_topP, &QDoubleSpinBox::valueChanged, this, emitChanged);
    connect(m_maxTokens, &QSpinBox::valueChanged, this, emitChanged);
    connect(m_thinking, &QComboBox::currentIndexChanged, this, emitChanged);
    connect(m_system, &QPlainTextEdit::textChanged, this, emitChanged);
}

void ParametersPanel::setReasoningModel(bool reasoning)
{
    m_defaultsNote->setText(reasoning ? tr("R1-family model: \"model default\" sends temperature %1 and top p %2, as DeepSeek "
                                           "recommends (vLLM 0.7.2 ignores the model's own defaults).")
                                            .arg(ChatRequestBuilder::r1Temperature)
                                            .arg(ChatRequestBuilder::r1TopP)
                                      : tr("\"model default\" sends nothing: the server's defaults apply."));
}

void ParametersPanel::setParameters(const ChatParameters &parameters)
{
    m_updating = true;
    m_temperature->setValue(parameters.temperature.value_or(unsetDouble));
    m_topP->setValue(parameters.topP.value_or(unsetDouble));
    m_maxTokens->setValue(parameters.maxTokens.value_or(0));
    m_thinking->setCurrentIndex(m_thinking->findData(int(parameters.thinkingStart)));
    if (m_system->toPlainText() != parameters.systemPrompt)
        m_system->setPlainText(parameters.systemPrompt);
    m_updating = false;
}

ChatParameters ParametersPanel::parameters() const
{
    ChatParameters parameters;
    if (m_temperature->value() > m_temperature->minimum())
        parameters.temperature = m_temperature->value();
    if (m_topP->value() > m_topP->minimum())
        parameters.topP = m_topP->value();
    if (m_maxTokens->value() > 0)
        parameters.maxTokens = m_maxTokens->value();
    parameters.thinkingStart = ChatParameters::ThinkingStart(m_thinking->currentData().toInt());
    parameters.systemPrompt = m_system->toPlainText();
    return parameters;
}

} // namespace ApoloDeploy
