// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/PlatformTypes.h"

#include <QAbstractItemModel>

namespace ApoloDeploy {

// The project's jobs as a two-level tree: one row per deployment (tag deployment:<name>, or
// "Other jobs"), its jobs below. The deployment row sums credits/h and credits spent.
class JobsModel final : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        StatusColumn,
        ReasonColumn,
        RunTimeColumn,
        RateColumn,
        SpentColumn,
        DescriptionColumn,
        ColumnCount
    };
    enum Role { JobIdRole = Qt::UserRole + 1, DeploymentRole, IsDeploymentRole, HttpUrlRole, ActiveRole };

    explicit JobsModel(QObject *parent = nullptr);

    void setJobs(const QList<Job> &jobs);
    const Job *job(const QModelIndex &index) const;
    QList<Job> jobsOfDeployment(const QString &deployment) const;
    QStringList deployments() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString formatRunTime(double seconds);

private:
    struct Group
    {
        QString deployment; // empty: jobs that belong to no deployment
        QList<Job> jobs;
    };
    QVariant groupData(const Group &group, int column, int role) const;
    QVariant jobData(const Job &job, int column, int role) const;

    QList<Group> m_groups;
};

} // namespace ApoloDeploy
