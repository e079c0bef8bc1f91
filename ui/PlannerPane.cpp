// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/PlannerPane.h"

#include "models/PresetComparisonModel.h"
#include "planner/LocalModelFiles.h"
#include "planner/ModelCatalog.h"
#include "planner/PlanJson.h"
#include "planner/PresetComparison.h"
#include "planner/WeightInventory.h"
#include "ui/planner/ConcurrencyChart.h"
#include "ui/planner/PlannerInputsForm.h"
#include "ui/planner/RankMemoryChart.h"

#include <QClipboard>
#include <QFileDialog>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace ApoloDeploy {

using namespace Planner;

PlannerPane::PlannerPane(const QList<PlannerPreset> &presets, QWidget *parent)
    : QWidget(parent)
    , m_presets(presets)
{
    setObjectName(QStringLiteral("plannerPane"));
    m_form = new PlannerInputsForm(this);
    m_form->setObjectName(QStringLiteral("plannerInputsForm"));
    m_form->setHubEnabled(false, tr("Sign in to fetch configs from Hugging Face"));
    auto *formScroll = new QScrollArea(this);
    formScroll->setWidget(m_form);
    formScroll->setWidgetResizable(true);
    formScroll->setMinimumWidth(300);

    m_verdictLabel = new QLabel(this);
    m_verdictLabel->setObjectName(QStringLiteral("verdictLabel"));
    m_verdictLabel->setWordWrap(true);
    m_verdictLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_comparison = new PresetComparisonModel(this);
    m_sortedComparison = new QSortFilterProxyModel(this);
    m_sortedComparison->setSourceModel(m_comparison);
    m_sortedComparison->setSortRole(PresetComparisonModel::SortRole);
    m_comparisonView = new QTableView(this);
    m_comparisonView->setObjectName(QStringLiteral("presetComparisonTableView"));
    m_comparisonView->setAccessibleName(tr("Preset comparison"));
    m_comparisonView->setModel(m_sortedComparison);
    m_comparisonView->setSortingEnabled(true);
    m_comparisonView->sortByColumn(PresetComparisonModel::CreditsPerHour, Qt::AscendingOrder);
    m_comparisonView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_comparisonView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_comparisonView->verticalHeader()->hide();
    m_comparisonView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_comparisonView->horizontalHeader()->setStretchLastSection(true);
    // Room for a header and four presets before the charts take the rest: the table is the answer.
    m_comparisonView->setMinimumHeight(m_comparisonView->horizontalHeader()->sizeHint().height() +
                                       4 * m_comparisonView->verticalHeader()->defaultSectionSize() +
                                       2 * m_comparisonView->frameWidth() +
                                       m_comparisonView->horizontalScrollBar()->sizeHint().height());
    connect(m_comparisonView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const QString name = current.data(PresetComparisonModel::PresetNameRole).toString();
                if (!name.isEmpty() && name != m_plan.presetName) {
                    m_selectedPreset = name;
                    scheduleRecompute();
                }
            });

    m_rankChart = new RankMemoryChart(this);
    m_rankChart->setMinimumHeight(220);
    m_concurrencyChart = new ConcurrencyChart(this);
    m_concurrencyChart->setMinimumHeight(220);
    auto *charts = new QSplitter(Qt::Horizontal, this);
    charts->addWidget(m_rankChart);
    charts->addWidget(m_concurrencyChart);
    charts->setStretchFactor(0, 3);
    charts->setStretchFactor(1, 2);

    m_detailsLabel = new QLabel(this);
    m_detailsLabel->setObjectName(QStringLiteral("detailsLabel"));
    m_detailsLabel->setWordWrap(true);
    // Room for the vllm serve line to wrap once (the layout does not grow a label for its wrapped height).
    m_detailsLabel->setMinimumHeight(m_detailsLabel->fontMetrics().lineSpacing() * 4 + 4);
    m_detailsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_usePlanButton = new QPushButton(tr("&Use this plan"), this);
    m_usePlanButton->setObjectName(QStringLiteral("usePlanPushButton"));
    m_usePlanButton->setAccessibleName(tr("Use this plan for the launch"));
    connect(m_usePlanButton, &QPushButton::clicked, this, [this] { Q_EMIT planAccepted(m_plan); });
    auto *copyCommand = new QPushButton(tr("&Copy vllm serve command"), this);
    copyCommand->setObjectName(QStringLiteral("copyCommandPushButton"));
    connect(copyCommand, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(
            QStringLiteral("vllm serve %1 %2").arg(m_plan.modelId, m_plan.flags.join(QLatin1Char(' '))));
    });
    // The details (with the long vllm serve line) get the full width; the actions sit below them.
    auto *actions = new QHBoxLayout;
    actions->addStretch(1);
    actions->addWidget(copyCommand);
    actions->addWidget(m_usePlanButton);
    auto *footer = new QVBoxLayout;
    footer->addWidget(m_detailsLabel);
    footer->addLayout(actions);

    auto *results = new QWidget(this);
    auto *resultsLayout = new QVBoxLayout(results);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    resultsLayout->addWidget(m_verdictLabel);
    resultsLayout->addWidget(m_comparisonView, 2);
    resultsLayout->addWidget(charts, 3);
    resultsLayout->addLayout(footer);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(formScroll);
    splitter->addWidget(results);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_form, &PlannerInputsForm::inputsChanged, this, &PlannerPane::scheduleRecompute);
    connect(m_form, &PlannerInputsForm::openConfigRequested, this, &PlannerPane::openConfigFile);
    connect(m_form, &PlannerInputsForm::hubFetchRequested, this, [this](const QString &repoId) {
        if (!m_hub)
            return;
        m_form->setHubStatus(tr("Fetching %1…").arg(repoId), false);
        m_hub->fetchModel(repoId);
    });
    m_form->selectModel(QStringLiteral("cognitivecomputations/DeepSeek-R1-AWQ"));
    recompute();
}

void PlannerPane::setPresets(const QList<PlannerPreset> &presets)
{
    m_presets = presets;
    scheduleRecompute();
}

void PlannerPane::setHubClient(HubClient *client)
{
    if (m_hub)
        disconnect(m_hub, nullptr, this, nullptr);
    m_hub = client;
    m_form->setHubEnabled(client != nullptr, client ? QString() : tr("Sign in to fetch configs from Hugging Face"));
    if (client)
        connect(client, &HubClient::modelFetched, this, &PlannerPane::onHubFetched);
}

bool PlannerPane::addModel(const QString &id, const QByteArray &configJson, std::optional<qint64> checkpointBytes,
                           QString *error)
{
    const ModelConfigResult parsed = parseModelConfig(configJson);
    if (!parsed.config) {
        if (error)
            *error = parsed.error;
        return false;
    }
    m_loadedModels.insert(id, LoadedModel{*parsed.config, checkpointBytes});
    m_form->addCustomModel(id, id);
    scheduleRecompute();
    return true;
}

void PlannerPane::selectModel(const QString &id)
{
    m_form->selectModel(id);
}

void PlannerPane::selectPreset(const QString &name)
{
    m_selectedPreset = name;
    recompute();
}

void PlannerPane::openConfigFile()
{
    // Window-modal open(), not exec(): no nested event loop.
    auto *dialog = new QFileDialog(this, tr("Open a model's config.json"));
    dialog->setObjectName(QStringLiteral("openConfigFileDialog"));
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters({tr("Model config (config.json *.json)"), tr("All files (*)")});
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        const LocalModelFiles files = readLocalModelFiles(path);
        QString error = files.error;
        if (files.isOk() && addModel(path, files.configJson, files.checkpointBytes, &error))
            m_form->setHubStatus(tr("Loaded %1").arg(path), false);
        else
            m_form->setHubStatus(error, true);
    });
    dialog->open();
}

void PlannerPane::onHubFetched(const HubFetchResult &result)
{
    if (!result.isOk()) {
        m_form->setHubStatus(result.message, true);
        return;
    }
    QString error;
    if (!addModel(result.repoId, result.configJson, result.checkpointBytes, &error)) {
        m_form->setHubStatus(error, true);
        return;
    }
    m_form->setHubStatus(result.message.isEmpty() ? tr("Fetched %1").arg(result.repoId) : result.message,
                         result.fromCache);
}

void PlannerPane::scheduleRecompute()
{
    // Coalesce a burst of edits (spin box repeat, programmatic changes) into one recompute.
    if (m_recomputeQueued)
        return;
    m_recomputeQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_recomputeQueued = false;
        recompute();
    });
}

void PlannerPane::recompute()
{
    PlanInputs inputs;
    inputs.presets = m_presets;
    inputs.modelId = m_form->selectedModelId();
    if (const std::optional<CatalogModel> known = ModelCatalog::builtIn().find(inputs.modelId)) {
        inputs.model = known->config;
    } else if (m_loadedModels.contains(inputs.modelId)) {
        inputs.model = m_loadedModels.value(inputs.modelId).config;
        inputs.checkpointBytes = m_loadedModels.value(inputs.modelId).checkpointBytes;
    } else {
        return;
    }
    m_form->applyTo(inputs);
    m_form->setCheckpointLabel(inputs.model.checkpointQuant.label());
    m_form->setMaxContextHint(inputs.model.derivedMaxModelLen());
    const WeightInventory inventory(inputs.model);
    m_comparison->setRows(comparePresets(inputs, inventory));
    inputs.presetName = m_selectedPreset;
    m_plan = buildDeploymentPlan(inputs, inventory);
    if (!m_plan.isValid() && !m_selectedPreset.isEmpty()) { // a preset that vanished with a live refresh
        m_selectedPreset.clear();
        inputs.presetName.clear();
        m_plan = buildDeploymentPlan(inputs, inventory);
    }
    showPlan();
}

void PlannerPane::showPlan()
{
    const MemoryPlan &memory = m_plan.memory;
    m_usePlanButton->setEnabled(m_plan.isValid() && memory.fits());
    if (!m_plan.isValid()) {
        m_verdictLabel->setText(tr("<b>Cannot plan:</b> %1").arg(m_plan.error.toHtmlEscaped()));
        m_detailsLabel->clear();
        return;
    }
    const QString colour = memory.fits() ? QStringLiteral("#1b7f3b") : QStringLiteral("#b02a2a");
    QString issues;
    for (const PlanIssue &issue : memory.issues)
        issues += QStringLiteral("<br>• ") + issue.message.toHtmlEscaped();
    m_verdictLabel->setText(tr("<b>%1</b> on %2 × <b>%3</b>%4 — TP %5 × PP %6:<br><span style='color:%7'>%8</span>%9")
                                .arg(m_plan.modelId.toHtmlEscaped())
                                .arg(m_plan.request.nodes)
                                .arg(m_plan.presetName.isEmpty() ? m_plan.gpu.model : m_plan.presetName)
                                .arg(m_plan.presetIsExample ? tr(" (example preset)") : QString())
                                .arg(m_plan.request.tensorParallel)
                                .arg(m_plan.request.pipelineParallel)
                                .arg(colour, memory.verdictText.toHtmlEscaped(), issues));
    QString cost;
    if (m_plan.cost && m_plan.cost->isValid())
        cost = tr("%1 credits/h · %2 credits/day · %3 credits/month")
                   .arg(m_plan.cost->creditsPerHour.toString(), m_plan.cost->creditsPerDay.toString(),
                        m_plan.cost->creditsPerMonth.toString());
    const QLocale locale;
    // Each "--flag value" stays whole when the command wraps (the label breaks after "--" otherwise).
    QStringList flagGroups;
    for (const QString &flag : std::as_const(m_plan.flags)) {
        if (flag.startsWith(QLatin1String("--")) || flagGroups.isEmpty())
            flagGroups << flag.toHtmlEscaped();
        else
            flagGroups.last() += u' ' + flag.toHtmlEscaped();
    }
    for (QString &group : flagGroups)
        group = QStringLiteral("<span style=\"white-space: nowrap\">%1</span>").arg(group);
    m_detailsLabel->setText(tr("%1 parameters (%2 active) · weights %3 · KV %4 B/token<br>%5<br><tt>vllm serve %6</tt>")
                                .arg(locale.toString(memory.params.total), locale.toString(memory.params.active),
                                     formatGiB(memory.weightBytesTotal), locale.toString(memory.kvBytesPerToken), cost,
                                     flagGroups.join(QLatin1Char(' '))));
    m_rankChart->setPlan(memory, m_plan.gpu.visibleBytes);
    m_concurrencyChart->setPlan(memory);
    // Keep the table's selection on the planned preset.
    for (int row = 0; row < m_sortedComparison->rowCount(); ++row) {
        const QModelIndex index = m_sortedComparison->index(row, 0);
        if (index.data(PresetComparisonModel::PresetNameRole).toString() == m_plan.presetName) {
            const QSignalBlocker blocker(m_comparisonView->selectionModel());
            m_comparisonView->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                           QItemSelectionModel::Rows);
        }
    }
}

} // namespace ApoloDeploy
