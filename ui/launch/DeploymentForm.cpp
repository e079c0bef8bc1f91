// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/launch/DeploymentForm.h"

#include "flow/PlatformNameRules.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ApoloDeploy {

namespace {

QLineEdit *lineEdit(const char *objectName, const QString &placeholder = {})
{
    auto *edit = new QLineEdit;
    edit->setObjectName(QString::fromLatin1(objectName));
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    return edit;
}

QComboBox *comboBox(const char *objectName, const QStringList &items, bool editable)
{
    auto *combo = new QComboBox;
    combo->setObjectName(QString::fromLatin1(objectName));
    combo->addItems(items);
    combo->setEditable(editable);
    return combo;
}

QSpinBox *spinBox(const char *objectName, int minimum, int maximum)
{
    auto *spin = new QSpinBox;
    spin->setObjectName(QString::fromLatin1(objectName));
    spin->setRange(minimum, maximum);
    return spin;
}

QCheckBox *checkBox(const char *objectName, const QString &text)
{
    auto *check = new QCheckBox(text);
    check->setObjectName(QString::fromLatin1(objectName));
    return check;
}

} // namespace

DeploymentForm::DeploymentForm(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QFormLayout(this))
{
    m_layout->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_name = lineEdit("nameLineEdit", tr("deepseek-r1"));
    m_model = lineEdit("modelLineEdit", tr("cognitivecomputations/DeepSeek-R1-AWQ"));
    m_servedName = lineEdit("servedModelNameLineEdit", tr("defaults to the model id"));
    m_image = lineEdit("imageLineEdit");
    m_preset = comboBox("presetComboBox", {}, true);
    m_nodes = spinBox("nodesSpinBox", 1, 64);
    m_tp = spinBox("tensorParallelSpinBox", 1, 64);
    m_maxModelLen = spinBox("maxModelLenSpinBox", 0, 10'000'000);
    m_maxModelLen->setSpecialValueText(tr("model default"));
    m_maxModelLen->setSingleStep(1024);
    m_dtype = comboBox("dtypeComboBox",
                       {QStringLiteral("auto"), QStringLiteral("float16"), QStringLiteral("bfloat16"),
                        QStringLiteral("half"), QStringLiteral("float32")},
                       false);
    m_quantization = comboBox("quantizationComboBox",
                              {QString(), QStringLiteral("awq"), QStringLiteral("awq_marlin"), QStringLiteral("gptq"),
                               QStringLiteral("gptq_marlin"), QStringLiteral("fp8")},
                              true);
    m_gpuUtilization = new QDoubleSpinBox;
    m_gpuUtilization->setObjectName(QStringLiteral("gpuMemoryUtilizationSpinBox"));
    m_gpuUtilization->setRange(0.05, 1.0);
    m_gpuUtilization->setSingleStep(0.01);
    m_kvDtype = comboBox(
        "kvCacheDtypeComboBox",
        {QStringLiteral("auto"), QStringLiteral("fp8"), QStringLiteral("fp8_e4m3"), QStringLiteral("fp8_e5m2")}, false);
    m_eager = checkBox("enforceEagerCheckBox", tr("Enforce eager (no CUDA graphs)"));
    m_eager->setToolTip(
        tr("Skips capturing CUDA graphs: about 1 GiB less per GPU and a faster start, slower decoding."));
    m_reasoning = checkBox("reasoningCheckBox", tr("Reasoning parser (deepseek_r1)"));
    m_trustRemoteCode = checkBox("trustRemoteCodeCheckBox", tr("Trust remote code"));
    m_extraArgs = lineEdit("extraArgsLineEdit", tr("--max-num-seqs 16"));
    m_hfSecret = lineEdit("hfTokenSecretLineEdit", tr("HF_TOKEN (empty: public model)"));
    m_cacheVolume = lineEdit("cacheVolumeLineEdit", tr("storage:hf-cache"));
    m_cacheMount = lineEdit("cacheMountLineEdit");
    m_lifeSpan = lineEdit("lifeSpanLineEdit", tr("1d, 10d, 12h"));
    m_httpAuth = checkBox("httpAuthCheckBox", tr("Require platform authentication"));
    m_apiKeySecret = lineEdit("apiKeySecretLineEdit", tr("secret name (empty: no key)"));
    m_networkInterface = lineEdit("networkInterfaceLineEdit", tr("eth0 (empty: NCCL picks)"));
    m_web = checkBox("openWebUiCheckBox", tr("Also start Open WebUI"));
    m_webPreset = lineEdit("webPresetLineEdit", tr("cpu-small"));

    addRow(tr("&Name"), QStringLiteral("name"), m_name);
    addRow(tr("&Model"), QStringLiteral("model"), m_model);
    addRow(tr("Served name"), QStringLiteral("servedModelName"), m_servedName);
    addRow(tr("&Image"), QStringLiteral("image"), m_image);
    addRow(tr("&Preset"), QStringLiteral("preset"), m_preset);
    addRow(tr("Nodes (PP)"), QStringLiteral("pipelineParallel"), m_nodes);
    addRow(tr("GPUs per node (TP)"), QStringLiteral("tensorParallel"), m_tp);
    addRow(tr("Context length"), QStringLiteral("maxModelLen"), m_maxModelLen);
    addRow(tr("dtype"), QStringLiteral("dtype"), m_dtype);
    addRow(tr("Quantization"), QStringLiteral("quantization"), m_quantization);
    addRow(tr("GPU memory utilization"), QStringLiteral("gpuMemoryUtilization"), m_gpuUtilization);
    addRow(tr("KV cache dtype"), QStringLiteral("kvCacheDtype"), m_kvDtype);
    addRow(QString(), QStringLiteral("enforceEager"), m_eager);
    addRow(QString(), QStringLiteral("reasoningParser"), m_reasoning);
    addRow(QString(), QStringLiteral("trustRemoteCode"), m_trustRemoteCode);
    addRow(tr("Extra vLLM arguments"), QStringLiteral("extraVllmArgs"), m_extraArgs);
    addRow(tr("HF token secret"), QStringLiteral("hfTokenSecret"), m_hfSecret);
    addRow(tr("HF cache volume"), QStringLiteral("hfCacheVolume"), m_cacheVolume);
    addRow(tr("Cache mount"), QStringLiteral("hfCacheMount"), m_cacheMount);
    addRow(tr("&Life span"), QStringLiteral("lifeSpan"), m_lifeSpan);
    addRow(QString(), QStringLiteral("httpAuth"), m_httpAuth);
    addRow(tr("API key secret"), QStringLiteral("apiKeySecret"), m_apiKeySecret);
    addRow(tr("NCCL interface"), QStringLiteral("networkInterface"), m_networkInterface);
    addRow(QString(), QStringLiteral("openWebUi"), m_web);
    addRow(tr("Open WebUI preset"), QStringLiteral("webPreset"), m_webPreset);

    for (QLineEdit *edit : findChildren<QLineEdit *>())
        connect(edit, &QLineEdit::textChanged, this, [this] {
            if (!m_loading)
                Q_EMIT changed();
        });
    for (QSpinBox *spin : {m_nodes, m_tp, m_maxModelLen})
        connect(spin, &QSpinBox::valueChanged, this, [this] {
            if (!m_loading)
                Q_EMIT changed();
        });
    connect(m_gpuUtilization, &QDoubleSpinBox::valueChanged, this, [this] {
        if (!m_loading)
            Q_EMIT changed();
    });
    for (QComboBox *combo : {m_dtype, m_kvDtype, m_quantization, m_preset})
        connect(combo, &QComboBox::currentTextChanged, this, [this] {
            if (!m_loading)
                Q_EMIT changed();
        });
    for (QCheckBox *check : {m_eager, m_reasoning, m_trustRemoteCode, m_httpAuth, m_web})
        connect(check, &QCheckBox::toggled, this, [this] {
            if (!m_loading)
                Q_EMIT changed();
        });
    setDeployment(Deployment());
}

void DeploymentForm::addRow(const QString &label, const QString &name, QWidget *editor)
{
    editor->setAccessibleName(label.isEmpty() ? editor->property("text").toString()
                                              : QString(label).remove(QLatin1Char('&')));
    m_layout->addRow(label, field(name, editor));
}

QWidget *DeploymentForm::field(const QString &name, QWidget *editor)
{
    auto *container = new QWidget;
    auto *layout = new QVBoxLayout(container);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(editor);
    auto *message = new QLabel;
    message->setObjectName(name + QStringLiteral("MessageLabel"));
    message->setWordWrap(true);
    message->setVisible(false);
    layout->addWidget(message);
    m_messages.insert(name, message);
    return container;
}

Deployment DeploymentForm::deployment() const
{
    Deployment d;
    d.name = m_name->text().trimmed();
    d.model = m_model->text().trimmed();
    d.servedModelName = m_servedName->text().trimmed();
    d.image = m_image->text().trimmed();
    d.preset = m_preset->currentText().trimmed();
    d.pipelineParallel = m_nodes->value();
    d.tensorParallel = m_tp->value();
    d.maxModelLen = m_maxModelLen->value();
    d.dtype = m_dtype->currentText();
    d.quantization = m_quantization->currentText().trimmed();
    d.gpuMemoryUtilization = m_gpuUtilization->value();
    d.kvCacheDtype = m_kvDtype->currentText();
    d.enforceEager = m_eager->isChecked();
    d.reasoningParser = m_reasoning->isChecked();
    d.trustRemoteCode = m_trustRemoteCode->isChecked();
    QStringList extra;
    if (!PlatformNameRules::shellSplit(m_extraArgs->text(), &extra))
        extra = {m_extraArgs->text()}; // the validator then says what is wrong
    d.extraVllmArgs = extra;
    d.hfTokenSecret = m_hfSecret->text().trimmed();
    d.hfCacheVolume = m_cacheVolume->text().trimmed();
    d.hfCacheMount = m_cacheMount->text().trimmed();
    d.lifeSpan = m_lifeSpan->text().trimmed();
    d.httpAuth = m_httpAuth->isChecked();
    d.apiKeySecret = m_apiKeySecret->text().trimmed();
    d.networkInterface = m_networkInterface->text().trimmed();
    d.openWebUi = m_web->isChecked();
    d.webPreset = m_webPreset->text().trimmed();
    d.extraEnv = m_extraEnv;
    return d;
}

void DeploymentForm::setDeployment(const Deployment &d)
{
    m_loading = true;
    m_name->setText(d.name);
    m_model->setText(d.model);
    m_servedName->setText(d.servedModelName);
    m_image->setText(d.image);
    m_preset->setCurrentText(d.preset);
    m_nodes->setValue(d.pipelineParallel);
    m_tp->setValue(d.tensorParallel);
    m_maxModelLen->setValue(d.maxModelLen);
    m_dtype->setCurrentText(d.dtype);
    m_quantization->setCurrentText(d.quantization);
    m_gpuUtilization->setValue(d.gpuMemoryUtilization);
    m_kvDtype->setCurrentText(d.kvCacheDtype);
    m_eager->setChecked(d.enforceEager);
    m_reasoning->setChecked(d.reasoningParser);
    m_trustRemoteCode->setChecked(d.trustRemoteCode);
    m_extraArgs->setText(PlatformNameRules::shellJoin(d.extraVllmArgs));
    m_hfSecret->setText(d.hfTokenSecret);
    m_cacheVolume->setText(d.hfCacheVolume);
    m_cacheMount->setText(d.hfCacheMount);
    m_lifeSpan->setText(d.lifeSpan);
    m_httpAuth->setChecked(d.httpAuth);
    m_apiKeySecret->setText(d.apiKeySecret);
    m_networkInterface->setText(d.networkInterface);
    m_web->setChecked(d.openWebUi);
    m_webPreset->setText(d.webPreset);
    m_extraEnv = d.extraEnv;
    m_loading = false;
    Q_EMIT changed();
}

void DeploymentForm::setPresets(const QStringList &presets)
{
    const QString current = m_preset->currentText();
    m_loading = true;
    m_preset->clear();
    m_preset->addItems(presets);
    m_preset->setCurrentText(current);
    m_loading = false;
}

void DeploymentForm::showIssues(const QList<ValidationIssue> &issues)
{
    QHash<QString, QStringList> byField;
    QHash<QString, bool> hasError;
    for (const ValidationIssue &issue : issues) {
        byField[issue.field] << issue.message;
        hasError[issue.field] = hasError.value(issue.field) || issue.isError();
    }
    for (auto it = m_messages.cbegin(); it != m_messages.cend(); ++it) {
        QLabel *label = it.value();
        const QStringList messages = byField.value(it.key());
        label->setVisible(!messages.isEmpty());
        label->setText(messages.join(QLatin1Char('\n')));
        label->setStyleSheet(hasError.value(it.key()) ? QStringLiteral("color: #c62828;")
                                                      : QStringLiteral("color: #b26a00;"));
    }
}

} // namespace ApoloDeploy
