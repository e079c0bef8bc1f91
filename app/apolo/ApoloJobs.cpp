// SPDX-License-Identifier: GPL-3.0-or-later
// Job calls of ApoloClient (§3, §4): create (with creation verification), get, list, resolve,
// kill, extend.
#include "apolo/ApiJson.h"
#include "apolo/ApiUrls.h"
#include "apolo/ApoloClient.h"
#include "apolo/ApoloLogging.h"
#include "apolo/CallHandle.h"
#include "apolo/JobPayload.h"
#include "apolo/JobsNdjsonDecoder.h"
#include "apolo/Pkce.h"
#include "apolo/UriNormalizer.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <memory>

namespace ApoloDeploy {

namespace {

// Server and client clocks differ; a job created this long before our POST is not ours.
constexpr int creationClockSkewSeconds = 120;
// A same-named job created this close to our POST is our own, re-sent by the transport; older
// ones are a real name conflict. Small, so that a conflict with a job just started elsewhere
// is still reported.
constexpr int duplicateClockSkewSeconds = 20;

// Every created job carries one unique tag: an idempotency key that tells our own job apart
// from a same-named one when the outcome of a POST is unknown (no clock comparison needed).
constexpr QLatin1StringView markerPrefix("adc-create-");

QString creationMarker(const QJsonObject &body)
{
    for (const QJsonValue &tag : body.value(u"tags").toArray()) {
        if (tag.toString().startsWith(markerPrefix))
            return tag.toString();
    }
    return QString();
}

bool isOurs(const Job &job, const QString &marker, const QDateTime &sentAt, int skewSeconds)
{
    if (!marker.isEmpty())
        return job.tags.contains(marker);
    return job.createdAt().isValid() && job.createdAt() >= sentAt.addSecs(-skewSeconds);
}

RequestSpec jobRequestSpec(const QUrl &url)
{
    RequestSpec spec;
    spec.url = url;
    spec.idempotent = true;
    return spec;
}

} // namespace

ApoloCall *ApoloClient::createJob(const JobRequest &request, QObject *context, Callback<Job> callback)
{
    CallHandle *call = newCall(context);
    const Cluster *cluster =
        m_config.cluster(request.scope.cluster.isEmpty() ? m_scope.cluster : request.scope.cluster);
    const QString registryHost = cluster ? cluster->registryUrl.host() : QString();
    ApoloResult<QJsonObject> body = JobPayload::build(request, m_scope, registryHost);
    if (!body) {
        call->finishLater<Job>(callback, body.error());
        return call;
    }
    QJsonObject payload = body.value();
    QJsonArray tags = payload.value(u"tags").toArray();
    if (tags.size() < 16) { // the server allows 16 tags
        tags.append(QString(markerPrefix + QString::fromLatin1(Pkce::generateState().left(12).toLower())));
        payload.insert(u"tags", tags);
    }
    verifyCreation(call, request, payload, QDateTime(), 0, callback);
    return call;
}

// Sends the POST (sentAt invalid) or, after a failure whose outcome is unknown, looks the job
// up by name before deciding whether to send it again. Never sends the POST twice blindly.
void ApoloClient::verifyCreation(CallHandle *call, const JobRequest &request, const QJsonObject &body,
                                 const QDateTime &sentAt, int attempt, Callback<Job> callback)
{
    if (!sentAt.isValid()) {
        RequestSpec spec;
        spec.method = "POST";
        spec.url = ApiUrls::join(m_apiUrl, {QStringLiteral("jobs")}, {{QStringLiteral("from_preset"), QString()}});
        spec.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        spec.contentType = "application/json";
        spec.successStatuses = {202, 200, 201};
        const QDateTime now = QDateTime::currentDateTimeUtc();
        call->send(spec, [this, call, request, body, now, attempt, callback](const HttpOutcome &outcome) {
            if (!outcome.error.isError())
                return call->finish(callback, ApiJson::parseJob(outcome.body));
            // Qt's HTTP layer re-sends a request by itself when a kept-alive connection drops
            // before the answer: the server may then refuse our own job as a duplicate name.
            static const QRegularExpression duplicate(QStringLiteral("already exists: '(job-[0-9a-z-]+)'"));
            const QRegularExpressionMatch match = duplicate.match(outcome.error.message);
            if (outcome.error.httpStatus == 400 && match.hasMatch() && !call->wasAborted()) {
                const ApoloError conflict = outcome.error;
                Q_EMIT call->verifyingCreation();
                call->send(jobRequestSpec(ApiUrls::join(m_apiUrl, {QStringLiteral("jobs"), match.captured(1)})),
                           [call, callback, conflict, now, body](const HttpOutcome &existing) {
                               ApoloResult<Job> job = existing.error.isError() ? ApoloResult<Job>(conflict)
                                                                               : ApiJson::parseJob(existing.body);
                               const bool ours = job.ok() && isOurs(job.value(), creationMarker(body), now,
                                                                    duplicateClockSkewSeconds);
                               call->finish<Job>(callback, ours ? job : ApoloResult<Job>(conflict));
                           });
                return;
            }
            if (!outcome.error.isTransient() || call->wasAborted())
                return call->finish<Job>(callback, outcome.error);
            if (request.name.isEmpty()) {
                ApoloError error = outcome.error;
                error.hint = tr("The job may have been created anyway: check the jobs list before starting it again.");
                return call->finish<Job>(callback, error);
            }
            qCInfo(lcApolo).noquote() << "job creation outcome unknown (" << outcome.error.message << "); looking up"
                                      << request.name;
            Q_EMIT call->verifyingCreation();
            verifyCreation(call, request, body, now, attempt, callback);
        });
        return;
    }

    const ProjectScope scope{body.value(u"cluster_name").toString(), body.value(u"org_name").toString(),
                             body.value(u"project_name").toString()};
    RequestSpec lookup = jobRequestSpec(ApiUrls::jobLookup(m_apiUrl, request.name, scope));
    call->send(lookup, [this, call, request, body, sentAt, attempt, callback, scope](const HttpOutcome &outcome) {
        if (outcome.error.isError()) {
            ApoloError error = outcome.error;
            error.message = tr("Could not confirm whether job '%1' was created: %2").arg(request.name, error.message);
            error.hint = tr("Check the jobs list before starting it again.");
            return call->finish<Job>(callback, error);
        }
        JobsNdjsonDecoder decoder; // parses both the NDJSON and the {"jobs": […]} forms
        QList<Job> jobs = decoder.feed(outcome.body);
        jobs += decoder.finish();
        for (const Job &job : jobs) {
            const bool ours =
                job.name == request.name && job.projectName == scope.project &&
                (!job.createdAt().isValid() || job.createdAt() >= sentAt.addSecs(-creationClockSkewSeconds));
            if (ours) {
                qCInfo(lcApolo).noquote() << "job" << request.name << "was created:" << job.id;
                return call->finish<Job>(callback, job);
            }
        }
        if (attempt >= m_retryDelaysMs.size()) {
            ApoloError error;
            error.kind = ApoloError::Kind::Network;
            error.message = tr("Job '%1' could not be created: the platform did not answer.").arg(request.name);
            error.hint = tr("Check your connection and try again.");
            return call->finish<Job>(callback, error);
        }
        // Confirmed absent: sending it again cannot duplicate it (and names are unique anyway).
        const int delay = m_retryDelaysMs.at(attempt);
        ApoloError reason;
        reason.kind = ApoloError::Kind::Network;
        reason.message = tr("Job '%1' was not created; sending it again.").arg(request.name);
        Q_EMIT call->retrying(attempt + 1, delay, reason);
        QTimer::singleShot(delay, call, [this, call, request, body, attempt, callback] {
            verifyCreation(call, request, body, QDateTime(), attempt + 1, callback);
        });
    });
}

ApoloCall *ApoloClient::getJob(const QString &jobId, QObject *context, Callback<Job> callback)
{
    CallHandle *call = newCall(context);
    call->send(jobRequestSpec(ApiUrls::join(m_apiUrl, {QStringLiteral("jobs"), jobId})),
               [call, callback](const HttpOutcome &outcome) {
                   if (outcome.error.isError())
                       return call->finish<Job>(callback, outcome.error);
                   call->finish(callback, ApiJson::parseJob(outcome.body));
               });
    return call;
}

ApoloCall *ApoloClient::listJobs(const JobListFilter &filter, QObject *context,
                                 std::function<void(const QList<Job> &)> onJobs, Callback<Done> callback)
{
    CallHandle *call = newCall(context);
    RequestSpec spec = jobRequestSpec(ApiUrls::jobList(m_apiUrl, filter, m_scope));
    spec.accept = "application/x-ndjson";
    auto decoder = std::make_shared<JobsNdjsonDecoder>();
    spec.onChunk = [call, decoder, onJobs](const QByteArray &chunk) {
        const QList<Job> jobs = decoder->feed(chunk);
        if (!jobs.isEmpty() && !call->isAbandoned() && onJobs)
            onJobs(jobs);
    };
    call->send(spec, [call, decoder, onJobs, callback](const HttpOutcome &outcome) {
        const QList<Job> tail = decoder->finish();
        if (!tail.isEmpty() && onJobs)
            onJobs(tail);
        if (decoder->hasError())
            return call->finish<Done>(callback, decoder->error());
        if (outcome.error.isError())
            return call->finish<Done>(callback, outcome.error);
        call->finish<Done>(callback, Done{});
    });
    return call;
}

ApoloCall *ApoloClient::resolveJob(const QString &nameOrId, QObject *context, Callback<Job> callback)
{
    if (ApiUrls::isJobId(nameOrId))
        return getJob(nameOrId, context, callback);
    CallHandle *call = newCall(context);
    ProjectScope scope = m_scope;
    QString name = nameOrId;
    if (nameOrId.startsWith(QLatin1String("job:"))) {
        ApoloResult<QString> uri = UriNormalizer::normalize(nameOrId, QStringLiteral("job"), m_scope);
        const QStringList parts = uri ? uri->mid(QStringLiteral("job://").size()).split(u'/') : QStringList();
        if (parts.size() != 4) {
            ApoloError error = uri ? ApoloError() : uri.error();
            if (!error.isError()) {
                error.kind = ApoloError::Kind::Validation;
                error.message = tr("'%1' is not a job URI of the form job://cluster/org/project/name.").arg(nameOrId);
            }
            call->finishLater<Job>(callback, error);
            return call;
        }
        scope = ProjectScope{parts.at(0), parts.at(1), parts.at(2)};
        name = parts.at(3);
        if (ApiUrls::isJobId(name)) {
            call->deleteLater();
            return getJob(name, context, callback);
        }
    }
    call->send(jobRequestSpec(ApiUrls::jobLookup(m_apiUrl, name, scope)),
               [this, call, callback, scope, name](const HttpOutcome &outcome) {
                   if (outcome.error.isError())
                       return call->finish<Job>(callback, outcome.error);
                   JobsNdjsonDecoder decoder;
                   QList<Job> jobs = decoder.feed(outcome.body);
                   jobs += decoder.finish();
                   if (decoder.hasError())
                       return call->finish<Job>(callback, decoder.error());
                   for (const Job &job : jobs) {
                       if (job.projectName == scope.project && (job.orgName.isEmpty() || job.orgName == scope.org))
                           return call->finish<Job>(callback, job);
                   }
                   // Not found in the project: the server's own owner-name fallback (§4.1).
                   call->send(jobRequestSpec(ApiUrls::join(m_apiUrl, {QStringLiteral("jobs"), name})),
                              [call, callback](const HttpOutcome &fallback) {
                                  if (fallback.error.isError())
                                      return call->finish<Job>(callback, fallback.error);
                                  call->finish(callback, ApiJson::parseJob(fallback.body));
                              });
               });
    return call;
}

ApoloCall *ApoloClient::killJob(const QString &jobId, QObject *context, Callback<Done> callback)
{
    CallHandle *call = newCall(context);
    RequestSpec spec = jobRequestSpec(ApiUrls::join(m_apiUrl, {QStringLiteral("jobs"), jobId}));
    spec.method = "DELETE";
    spec.successStatuses = {204, 200};
    // DELETE is idempotent: cancelling twice is a no-op on the server.
    call->send(spec, [call, callback](const HttpOutcome &outcome) {
        if (outcome.error.isError())
            return call->finish<Done>(callback, outcome.error);
        call->finish<Done>(callback, Done{});
    });
    return call;
}

ApoloCall *ApoloClient::extendLifeSpan(const QString &jobId, int additionalMinutes, QObject *context,
                                       Callback<Done> callback)
{
    CallHandle *call = newCall(context);
    if (additionalMinutes < 1) {
        ApoloError error;
        error.kind = ApoloError::Kind::Validation;
        error.message = tr("The life span can only be extended by at least one minute.");
        call->finishLater<Done>(callback, error);
        return call;
    }
    RequestSpec spec;
    spec.method = "PUT";
    spec.url = ApiUrls::join(m_apiUrl, {QStringLiteral("jobs"), jobId, QStringLiteral("max_run_time_minutes")});
    spec.contentType = "application/json";
    spec.body = QJsonDocument(QJsonObject{{QStringLiteral("additional_max_run_time_minutes"), additionalMinutes}})
                    .toJson(QJsonDocument::Compact);
    spec.successStatuses = {204, 200};
    // Not retried: a lost answer after the server applied it would extend twice.
    call->send(spec, [call, callback](const HttpOutcome &outcome) {
        if (outcome.error.isError())
            return call->finish<Done>(callback, outcome.error);
        call->finish<Done>(callback, Done{});
    });
    return call;
}

} // namespace ApoloDeploy
