// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/ParametersPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
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
    , m_extra(new QLineEdit(this))
    , m_extraError(new QLabel(this))
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
    m_thinking->addItem(tr("Starts thinking (template pre-fills <think>)"),
                        int(ChatParameters::ThinkingStart::Thinking));
    m_thinking->addItem(tr("Only with an explicit <think>"), int(ChatParameters::ThinkingStart::Answer));
    m_system->setObjectName(QStringLiteral("systemPromptPlainTextEdit"));
    m_system->setAccessibleName(tr("System prompt"));
    m_system->setPlaceholderText(tr("System prompt (none by default; DeepSeek advises none for R1)"));
    m_system->setMaximumHeight(90);
    m_extra->setObjectName(QStringLiteral("extraFieldsLineEdit"));
    m_extra->setAccessibleName(tr("Extra request fields as a JSON object"));
    m_extra->setPlaceholderText(tr("{\"top_k\": 20, \"repetition_penalty\": 1.05}"));
    m_extra->setToolTip(tr("vLLM sampling extras sent as top-level request fields (top_k, min_p, repetition_penalty, "
                           "seed, ignore_eos...). They never replace the model, the messages or streaming."));
    m_extraError->setObjectName(QStringLiteral("extraFieldsErrorLabel"));
    m_extraError->setWordWrap(true);
    m_extraError->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    m_extraError->setVisible(false);
    m_defaultsNote->setObjectName(QStringLiteral("defaultsNoteLabel"));
    m_defaultsNote->setWordWrap(true);
    m_defaultsNote->setStyleSheet(QStringLiteral("QLabel { color: palette(placeholder-text); }"));

    auto *form = new QFormLayout(this);
    form->addRow(tr("Temperature:"), m_temperature);
    form->addRow(tr("Top p:"), m_topP);
    form->addRow(tr("Max tokens:"), m_maxTokens);
    form->addRow(tr("Thinking:"), m_thinking);
    form->addRow(tr("System:"), m_system);
    form->addRow(tr("Extra fields:"), m_extra);
    form->addRow(m_extraError);
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
    connect(m_extra, &QLineEdit::textChanged, this, [this, emitChanged] {
        const QString error = extraFieldsError();
        m_extraError->setText(error);
        m_extraError->setVisible(!error.isEmpty());
        if (!error.isEmpty())
            return; // keep sending the last valid fields until this one parses
        m_extraFields = m_extra->text().trimmed().isEmpty()
                            ? QJsonObject()
                            : QJsonDocument::fromJson(m_extra->text().toUtf8()).object();
        emitChanged();
    });
}

QString ParametersPanel::extraFieldsError() const
{
    const QByteArray text = m_extra->text().trimmed().toUtf8();
    if (text.isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        return tr("Extra fields: %1 at character %2. Write a JSON object, e.g. {\"top_k\": 20}.")
            .arg(error.errorString())
            .arg(error.offset + 1);
    if (!document.isObject())
        return tr("Extra fields must be a JSON object in braces, e.g. {\"top_k\": 20}.");
    return {};
}

void ParametersPanel::setReasoningModel(bool reasoning)
{
    m_defaultsNote->setText(
        reasoning ? tr("R1-family model: \"model default\" sends temperature %1 and top p %2, as DeepSeek "
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
    m_extraFields = parameters.extraFields;
    m_extra->setText(m_extraFields.isEmpty()
                         ? QString()
                         : QString::fromUtf8(QJsonDocument(m_extraFields).toJson(QJsonDocument::Compact)));
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
    parameters.extraFields = m_extraFields;
    return parameters;
}

} // namespace ApoloDeploy
