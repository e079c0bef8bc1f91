// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apolo/ApoloClient.h"
#include "support/SandboxFixture.h"

#include <QTest>

namespace ApoloDeploy::Test {

// An ApoloClient signed in to a fresh apolo-sandbox, scoped to its default project.
class SandboxPlatform
{
public:
    explicit SandboxPlatform(double speed = 200)
        : sandbox(SandboxFixture::Options{speed, QString(), QString(), {}})
    {}

    bool connect(QString *error)
    {
        if (!sandbox.start()) {
            *error = sandbox.errorString();
            return false;
        }
        client.setApiUrl(sandbox.apiUrl());
        client.setRetryDelays({50, 100, 200});
        Credentials credentials;
        credentials.accessToken = QString::fromLatin1(sandbox.token());
        client.setCredentials(credentials);
        bool done = false;
        QObject context;
        client.fetchConfig(&context, [&](const ApoloResult<ServerConfig> &config) {
            if (config.ok())
                client.setServerConfig(config.value());
            else
                *error = config.error().toString();
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 10000) || !error->isEmpty())
            return false;
        client.setScope({QString::fromLatin1(SandboxFixture::clusterName), QString::fromLatin1(SandboxFixture::orgName),
                         QString::fromLatin1(SandboxFixture::projectName)});
        return true;
    }

    // Active jobs carrying `tag`, by a blocking-looking wait that keeps the event loop running.
    QList<Job> activeJobs(const QString &tag)
    {
        JobListFilter filter;
        filter.tags = {tag};
        filter.statuses = {JobStatus::Pending, JobStatus::Suspended, JobStatus::Running};
        QList<Job> jobs;
        bool done = false;
        QObject context;
        client.listJobs(
            filter, &context, [&](const QList<Job> &batch) { jobs << batch; },
            [&](const ApoloResult<Done> &) { done = true; });
        if (!QTest::qWaitFor([&] { return done; }, 10000))
            qWarning("listing the jobs tagged %s timed out", qPrintable(tag));
        return jobs;
    }

    SandboxFixture sandbox;
    ApoloClient client;
};

} // namespace ApoloDeploy::Test
