// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sandbox/Workload.h"
#include "sandbox/vllm/ReasoningShaper.h"
#include "sandbox/vllm/StartupLogScript.h"
#include "sandbox/workloads/ContainerContext.h"

#include <QElapsedTimer>
#include <QTimer>

#include <optional>

namespace ApoloDeploy::Sandbox {

class ScriptPlayer;
class VllmApiService;

// The vLLM OpenAI server process: parses its command line, prints v0.7.2's startup at the
// sandbox's time scale (waiting for Ray placement while the cluster is too small), then serves
// the API on its own loopback port from the moment "Application startup complete." is printed.
class VllmServerWorkload : public Workload
{
    Q_OBJECT

public:
    VllmServerWorkload(ContainerContextPtr context, const QStringList &args, VllmEntrypoint entrypoint,
                       QObject *parent = nullptr);
    ~VllmServerWorkload() override;

    void start() override;
    void stop() override;
    quint16 servingPort() const override { return m_servingPort; }

    // The sandbox's knobs for the reasoning shape (vllm.md §3), read from the container env:
    //   APOLO_SANDBOX_REASONING_FIELD=reasoning   newer servers' field name (default reasoning_content)
    //   APOLO_SANDBOX_THINK_PREFILL=0|1           override whether the chat template pre-fills "<think>\n"
    //   APOLO_SANDBOX_R1_PARSER_BUG=1             reproduce 0.7.2's parser with the pre-filled template
    //   APOLO_SANDBOX_VLLM_ERRORS=nested          the >= 0.10.1 error body shape
    static ReasoningConfig reasoningConfig(const VllmServerArgs &args, const ModelFacts &model,
                                           const QHash<QString, QString> &env);
    static bool templatePrefillsThink(const ModelFacts &model, const QHash<QString, QString> &env);

private:
    void playPhase(const ScriptPhase &phase, void (VllmServerWorkload::*next)());
    void afterConfig();
    void pollPlacement();
    void afterEngine();
    void onLine(const LogScriptLine &line);
    void startServing();
    void finishWith(int exitCode, const QString &message);
    QList<int> clusterNodes() const;

    ContainerContextPtr m_context;
    QStringList m_args;
    VllmEntrypoint m_entrypoint;
    std::optional<StartupLogScript> m_script;
    ScriptPlayer *m_player = nullptr;
    VllmApiService *m_service = nullptr;
    ScriptPhase m_phase;
    QMetaObject::Connection m_phaseConnection;
    double m_simNow = 0; // simulated seconds since the process started
    QTimer m_placementTimer;
    QElapsedTimer m_placementClock;
    double m_placementStart = 0;
    int m_nextWaitReport = 10;
    int m_waitInterval = 10;
    bool m_warnedAutoscaler = false;
    quint16 m_servingPort = 0;
    bool m_stopped = false;
};

} // namespace ApoloDeploy::Sandbox
