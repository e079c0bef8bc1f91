// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/ControlApi.h"

#include "sandbox/HttpServer.h"
#include "sandbox/JobRegistry.h"
#include "sandbox/SandboxJob.h"
#include "sandbox/SandboxState.h"

#include <QJsonDocument>

namespace ApoloDeploy::Sandbox {

namespace {

// Accepts a decimal string or a number; null clears (unlimited).
bool readCredits(const QJsonValue &value, std::optional<double> *target, QString *error)
{
    if (value.isNull()) {
        target->reset();
        return true;
    }
    bool ok = value.isDouble();
    const double number = ok ? value.toDouble() : value.toString().toDouble(&ok);
    if (!ok) {
        *error = QStringLiteral("credits must be a decimal string, a number or null");
        return false;
    }
    *target = number;
    return true;
}

} // namespace

QJsonObject ControlApi::stateJson() const
{
    const SandboxState &state = m_context.state;
    auto credits = [](const std::optional<double> &value) {
        return value ? QJsonValue(decimalString(*value)) : QJsonValue(QJsonValue::Null);
    };
    return {{QStringLiteral("balance"), credits(state.userCredits)},
            {QStringLiteral("spent"), decimalString(state.userSpent)},
            {QStringLiteral("org_balance"), credits(state.orgCredits)},
            {QStringLiteral("max_running_jobs"),
             state.maxRunningJobs ? QJsonValue(*state.maxRunningJobs) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("faults"), m_context.state.faults().spec()},
            {QStringLiteral("speed"), state.clock().speed()},
            {QStringLiteral("token_expiry_seconds"), state.tokenExpirySeconds()},
            {QStringLiteral("user"), state.config().userName},
            {QStringLiteral("active_jobs"), m_context.registry.activeJobCount()}};
}

void ControlApi::handle(const HttpRequest &request, HttpResponder *responder)
{
    if (request.method == "GET")
        return responder->respondJson(200, stateJson());
    if (request.method != "POST")
        return responder->respondError(405, QStringLiteral("use GET or POST"));
    QJsonParseError parseError;
    const QJsonObject changes = QJsonDocument::fromJson(request.body, &parseError).object();
    if (parseError.error != QJsonParseError::NoError)
        return responder->respondError(400, QStringLiteral("Invalid JSON: ") + parseError.errorString());
    SandboxState &state = m_context.state;
    QString error;
    // Validate everything first so a bad request changes nothing.
    std::optional<double> userCredits = state.userCredits;
    std::optional<double> orgCredits = state.orgCredits;
    if (changes.contains(QLatin1String("balance")) &&
        !readCredits(changes.value(QLatin1String("balance")), &userCredits, &error))
        return responder->respondError(400, error);
    if (changes.contains(QLatin1String("org_balance")) &&
        !readCredits(changes.value(QLatin1String("org_balance")), &orgCredits, &error))
        return responder->respondError(400, error);
    FaultSettings faults = state.faults().settings();
    if (changes.contains(QLatin1String("faults")) &&
        !FaultSettings::parse(changes.value(QLatin1String("faults")).toString(), &faults, &error))
        return responder->respondError(400, error);
    const QJsonValue speed = changes.value(QLatin1String("speed"));
    if (!speed.isUndefined() && !(speed.toDouble() > 0))
        return responder->respondError(400, QStringLiteral("speed must be a number > 0"));
    const QJsonValue quota = changes.value(QLatin1String("max_running_jobs"));
    if (!quota.isUndefined() && !quota.isNull() && !(quota.isDouble() && quota.toInt() >= 0))
        return responder->respondError(400, QStringLiteral("max_running_jobs must be an integer >= 0 or null"));
    const QJsonValue expiry = changes.value(QLatin1String("token_expiry_seconds"));
    if (!expiry.isUndefined() && !(expiry.toInt() > 0))
        return responder->respondError(400, QStringLiteral("token_expiry_seconds must be an integer > 0"));

    state.userCredits = userCredits;
    state.orgCredits = orgCredits;
    if (changes.contains(QLatin1String("faults")))
        state.faults().setSpec(changes.value(QLatin1String("faults")).toString(), &error);
    if (!speed.isUndefined())
        state.clock().setSpeed(speed.toDouble());
    if (!quota.isUndefined())
        state.maxRunningJobs = quota.isNull() ? std::nullopt : std::optional<int>(quota.toInt());
    if (!expiry.isUndefined())
        state.setDefaultTokenExpirySeconds(expiry.toInt());
    state.markDirty();
    responder->respondJson(200, stateJson());
}

} // namespace ApoloDeploy::Sandbox
