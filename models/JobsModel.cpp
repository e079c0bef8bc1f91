// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/JobsModel.h"

#include "deploy/CostMeter.h"
#include "deploy/JobsMonitor.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace ApoloDeploy {

namespace {

// Group rows carry this internal id; job rows carry their group's row + 1.
constexpr quintptr groupId = 0;

Decimal decimalOf(const QString &text)
{
    return Decimal::parse(text).value_or(Decimal());
}

QColor statusColor(JobStatus status)
{
    switch (status) {
    case JobStatus::Running: return QColor(0x2e, 0x7d, 0x32);
    case JobStatus::Pending:
    case JobStatus::Suspended: return QColor(0xb2, 0x6a, 0x00);
    case JobStatus::Failed: return QColor(0xc6, 0x28, 0x28);
    default: return {};
    }
}

} // namespace

JobsModel::JobsModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

void JobsModel::setJobs(const QList<Job> &jobs)
{
    QMap<QString, QList<Job>> byDeployment;
    for (const Job &job : jobs)
        byDeployment[deploymentOfJob(job)].append(job);
    beginResetModel();
    m_groups.clear();
    for (auto it = byDeployment.cbegin(); it != byDeployment.cend(); ++it) {
        if (!it.key().isEmpty())
            m_groups.append({it.key(), it.value()});
    }
    if (byDeployment.contains(QString()))
        m_groups.append({QString(), byDeployment.value(QString())});
    endResetModel();
}

const Job *JobsModel::job(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == groupId)
        return nullptr;
    const Group &group = m_groups.at(int(index.internalId() - 1));
    return &group.jobs.at(index.row());
}

QList<Job> JobsModel::jobsOfDeployment(const QString &deployment) const
{
    for (const Group &group : m_groups) {
        if (group.deployment == deployment)
            return group.jobs;
    }
    return {};
}

QStringList JobsModel::deployments() const
{
    QStringList names;
    for (const Group &group : m_groups) {
        if (!group.deployment.isEmpty())
            names << group.deployment;
    }
    return names;
}

QModelIndex JobsModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, groupId) : QModelIndex();
    if (parent.internalId() != groupId || row >= m_groups.at(parent.row()).jobs.size())
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex JobsModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == groupId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, groupId);
}

int JobsModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() == groupId && parent.column() == 0)
        return int(m_groups.at(parent.row()).jobs.size());
    return 0;
}

int JobsModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString JobsModel::formatRunTime(double seconds)
{
    const qint64 s = qint64(seconds);
    if (s < 3600)
        return tr("%1 min").arg(s / 60);
    if (s < 86400)
        return tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
    return tr("%1 d %2 h").arg(s / 86400).arg(s % 86400 / 3600);
}

QVariant JobsModel::groupData(const Group &group, int column, int role) const
{
    if (role == DeploymentRole)
        return group.deployment;
    if (role == IsDeploymentRole)
        return true;
    if (role == Qt::FontRole && column == NameColumn) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::AccessibleTextRole)
        return {};
    const CostMeter::Summary cost = CostMeter().summarize(group.jobs);
    switch (column) {
    case NameColumn: return group.deployment.isEmpty() ? tr("Other jobs") : group.deployment;
    case StatusColumn: return tr("%n active", nullptr, cost.activeJobs);
    case RateColumn: return CostMeter::formatRate(cost.creditsPerHour);
    case SpentColumn: return CostMeter::formatCredits(cost.spent);
    default: return {};
    }
}

QVariant JobsModel::jobData(const Job &job, int column, int role) const
{
    switch (role) {
    case JobIdRole: return job.id;
    case DeploymentRole: return deploymentOfJob(job);
    case IsDeploymentRole: return false;
    case HttpUrlRole: return job.preferredHttpUrl();
    case ActiveRole: return isActive(job.status);
    case Qt::ForegroundRole:
        if (column == StatusColumn && statusColor(job.status).isValid())
            return QBrush(statusColor(job.status));
        return {};
    case Qt::ToolTipRole:
        if (column == ReasonColumn && !job.history.description.isEmpty())
            return job.history.description;
        return {};
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole: break;
    default: return {};
    }
    switch (column) {
    case NameColumn: return job.name.isEmpty() ? job.id : job.name;
    case StatusColumn: return job.statusText;
    case ReasonColumn: return job.history.reason;
    case RunTimeColumn: return formatRunTime(job.runTimeSeconds());
    case RateColumn: return CostMeter::formatRate(decimalOf(job.priceCreditsPerHour));
    case SpentColumn: return CostMeter::formatCredits(decimalOf(job.totalPriceCredits));
    case DescriptionColumn: return job.description;
    default: return {};
    }
}

QVariant JobsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == groupId)
        return groupData(m_groups.at(index.row()), index.column(), role);
    const Job *j = job(index);
    return j ? jobData(*j, index.column(), role) : QVariant();
}

QVariant JobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Deployment / job");
    case StatusColumn: return tr("Status");
    case ReasonColumn: return tr("Reason");
    case RunTimeColumn: return tr("Run time");
    case RateColumn: return tr("Credits/h");
    case SpentColumn: return tr("Spent");
    case DescriptionColumn: return tr("Description");
    default: return {};
    }
}

} // namespace ApoloDeploy
