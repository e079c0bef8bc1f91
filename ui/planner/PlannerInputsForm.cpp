// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/planner/PlannerInputsForm.h"

#include "planner/HubClient.h"
#include "planner/ModelCatalog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>

namespace ApoloDeploy {

using namespace Planner;

namespace {

// --quant values offered besides the checkpoint's own format.
const char *const kQuantOptions[] = {"bf16",     "fp8",     "fp8-block", "int8",
                                     "awq-g128", "awq-g64", "gptq-g128", "w4a16-g128"};

} // namespace

PlannerInputsForm::PlannerInputsForm(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QFormLayout(this);
    layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    buildModelBox(layout);

    m_quantCombo = new QComboBox(this);
    m_quantCombo->setObjectName(QStringLiteral("quantComboBox"));
    m_quantCombo->setAccessibleName(tr("Weight format"));
    m_quantCombo->addItem(tr("Checkpoint"), QString());
    for (const char *option : kQuantOptions)
        m_quantCombo->addItem(QString::fromLatin1(option), QString::fromLatin1(option));
    layout->addRow(tr("&Weights:"), m_quantCombo);

    m_contextSpin = new QSpinBox(this);
    m_contextSpin->setObjectName(QStringLiteral("contextSpinBox"));
    m_contextSpin->setAccessibleName(tr("Context length (max-model-len)"));
    m_contextSpin->setRange(0, 10'000'000);
    m_contextSpin->setSingleStep(4096);
    m_contextSpin->setSpecialValueText(tr("model maximum"));
    m_contextSpin->setGroupSeparatorShown(true);
    m_contextSpin->setSuffix(tr(" tokens"));
    m_contextSpin->setValue(128000);
    layout->addRow(tr("&Context:"), m_contextSpin);

    m_concurrencySpin = new QSpinBox(this);
    m_concurrencySpin->setObjectName(QStringLiteral("concurrencySpinBox"));
    m_concurrencySpin->setAccessibleName(tr("Concurrent requests at full context"));
    m_concurrencySpin->setRange(1, 4096);
    layout->addRow(tr("C&oncurrency:"), m_concurrencySpin);

    m_utilizationSpin = new QDoubleSpinBox(this);
    m_utilizationSpin->setObjectName(QStringLiteral("utilizationSpinBox"));
    m_utilizationSpin->setAccessibleName(tr("GPU memory utilization"));
    m_utilizationSpin->setRange(0.05, 1.0);
    m_utilizationSpin->setSingleStep(0.01);
    m_utilizationSpin->setDecimals(2);
    m_utilizationSpin->setValue(0.9);
    layout->addRow(tr("GPU &memory utilization:"), m_utilizationSpin);

    m_kvDtypeCombo = new QComboBox(this);
    m_kvDtypeCombo->setObjectName(QStringLiteral("kvDtypeComboBox"));
    m_kvDtypeCombo->setAccessibleName(tr("KV cache dtype"));
    m_kvDtypeCombo->addItem(tr("auto (bf16/fp16)"));
    m_kvDtypeCombo->addItem(tr("fp8"));
    layout->addRow(tr("&KV cache:"), m_kvDtypeCombo);

    m_eagerCheck = new QCheckBox(tr("&Enforce eager (no CUDA graphs)"), this);
    m_eagerCheck->setObjectName(QStringLiteral("eagerCheckBox"));
    layout->addRow(QString(), m_eagerCheck);

    m_nodesSpin = new QSpinBox(this);
    m_nodesSpin->setObjectName(QStringLiteral("nodesSpinBox"));
    m_nodesSpin->setAccessibleName(tr("Number of nodes"));
    m_nodesSpin->setRange(0, 64);
    m_nodesSpin->setSpecialValueText(tr("fewest that fit"));
    layout->addRow(tr("&Nodes:"), m_nodesSpin);

    connect(m_quantCombo, &QComboBox::currentIndexChanged, this, &PlannerInputsForm::emitChanged);
    connect(m_contextSpin, &QSpinBox::valueChanged, this, &PlannerInputsForm::emitChanged);
    connect(m_concurrencySpin, &QSpinBox::valueChanged, this, &PlannerInputsForm::emitChanged);
    connect(m_utilizationSpin, &QDoubleSpinBox::valueChanged, this, &PlannerInputsForm::emitChanged);
    connect(m_kvDtypeCombo, &QComboBox::currentIndexChanged, this, &PlannerInputsForm::emitChanged);
    connect(m_eagerCheck, &QCheckBox::toggled, this, &PlannerInputsForm::emitChanged);
    connect(m_nodesSpin, &QSpinBox::valueChanged, this, &PlannerInputsForm::emitChanged);
}

void PlannerInputsForm::buildModelBox(QFormLayout *layout)
{
    m_modelCombo = new QComboBox(this);
    m_modelCombo->setObjectName(QStringLiteral("modelComboBox"));
    m_modelCombo->setAccessibleName(tr("Model"));
    m_modelCombo->setEditable(true);
    m_modelCombo->setInsertPolicy(QComboBox::NoInsert);
    for (const CatalogModel &model : ModelCatalog::builtIn().models())
        m_modelCombo->addItem(model.id, model.id);
    // Typing filters by any part of the id ("r1 awq", "qwen3").
    m_modelCombo->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_modelCombo->completer()->setFilterMode(Qt::MatchContains);
    m_modelCombo->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    connect(m_modelCombo, &QComboBox::currentIndexChanged, this, [this] {
        Q_EMIT modelChanged(selectedModelId());
        emitChanged();
    });
    layout->addRow(tr("M&odel:"), m_modelCombo);

    m_openConfigButton = new QPushButton(tr("Open config.json…"), this);
    m_openConfigButton->setObjectName(QStringLiteral("openConfigPushButton"));
    connect(m_openConfigButton, &QPushButton::clicked, this, &PlannerInputsForm::openConfigRequested);
    layout->addRow(QString(), m_openConfigButton);

    auto *hubRow = new QHBoxLayout;
    m_hubIdEdit = new QLineEdit(this);
    m_hubIdEdit->setObjectName(QStringLiteral("hubIdLineEdit"));
    m_hubIdEdit->setAccessibleName(tr("Hugging Face model id"));
    m_hubIdEdit->setPlaceholderText(tr("owner/name on Hugging Face"));
    m_fetchButton = new QPushButton(tr("&Fetch"), this);
    m_fetchButton->setObjectName(QStringLiteral("fetchPushButton"));
    m_fetchButton->setEnabled(false);
    hubRow->addWidget(m_hubIdEdit, 1);
    hubRow->addWidget(m_fetchButton);
    layout->addRow(tr("Hub id:"), hubRow);
    const auto requestFetch = [this] {
        if (m_fetchButton->isEnabled())
            Q_EMIT hubFetchRequested(m_hubIdEdit->text().trimmed());
    };
    connect(m_fetchButton, &QPushButton::clicked, this, requestFetch);
    connect(m_hubIdEdit, &QLineEdit::returnPressed, this, requestFetch);
    connect(m_hubIdEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_fetchButton->setEnabled(m_hubIdEdit->isEnabled() && HubClient::isRepoId(text.trimmed()));
    });
    m_hubStatusLabel = new QLabel(this);
    m_hubStatusLabel->setObjectName(QStringLiteral("hubStatusLabel"));
    m_hubStatusLabel->setWordWrap(true);
    m_hubStatusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addRow(QString(), m_hubStatusLabel);
}

void PlannerInputsForm::emitChanged()
{
    Q_EMIT inputsChanged();
}

void PlannerInputsForm::addCustomModel(const QString &id, const QString &label)
{
    int index = m_modelCombo->findData(id);
    if (index < 0) {
        m_modelCombo->addItem(label, id);
        index = m_modelCombo->count() - 1;
    }
    m_modelCombo->setCurrentIndex(index);
}

void PlannerInputsForm::selectModel(const QString &id)
{
    const int index = m_modelCombo->findData(id);
    if (index >= 0)
        m_modelCombo->setCurrentIndex(index);
}

QString PlannerInputsForm::selectedModelId() const
{
    return m_modelCombo->currentData().toString();
}

void PlannerInputsForm::applyTo(PlanInputs &inputs) const
{
    const QString quant = m_quantCombo->currentData().toString();
    inputs.quantOverride = quant.isEmpty() ? std::nullopt : parseQuantOption(quant).scheme;
    inputs.maxModelLen = m_contextSpin->value();
    inputs.concurrency = m_concurrencySpin->value();
    inputs.gpuMemoryUtilization = m_utilizationSpin->value();
    inputs.kvCacheDtype = m_kvDtypeCombo->currentIndex() == 1 ? KvCacheDtype::Fp8 : KvCacheDtype::Auto;
    inputs.enforceEager = m_eagerCheck->isChecked();
    inputs.nodes = m_nodesSpin->value();
}

void PlannerInputsForm::setCheckpointLabel(const QString &label)
{
    m_quantCombo->setItemText(0, tr("Checkpoint (%1)").arg(label));
}

void PlannerInputsForm::setHubEnabled(bool enabled, const QString &reason)
{
    m_hubIdEdit->setEnabled(enabled);
    m_hubIdEdit->setToolTip(reason);
    m_fetchButton->setEnabled(enabled && HubClient::isRepoId(m_hubIdEdit->text().trimmed()));
}

void PlannerInputsForm::setHubStatus(const QString &text, bool error)
{
    m_hubStatusLabel->setText(text);
    m_hubStatusLabel->setStyleSheet(error ? QStringLiteral("color: #b02a2a;") : QString());
}

void PlannerInputsForm::setMaxContextHint(qint64 derivedMaxModelLen)
{
    m_contextSpin->setToolTip(tr("The model allows up to %1 tokens (max_position_embeddings with rope scaling)")
                                  .arg(QLocale().toString(derivedMaxModelLen)));
}

} // namespace ApoloDeploy
