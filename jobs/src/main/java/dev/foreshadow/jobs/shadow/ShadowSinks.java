package dev.foreshadow.jobs.shadow;

import dev.foreshadow.connectors.history.HistorySettings;
import dev.foreshadow.connectors.history.HistoryTables;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.ActionStats;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.connectors.records.VerifiedEvent;
import dev.foreshadow.connectors.records.WorkflowDependency;
import dev.foreshadow.connectors.webhook.WebhookSink;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where ShadowJob writes: the history tables (samples, runs, statistics, arrivals, every anomaly,
 * accepted external events, workflow dependencies, forecasts, allocation commands), and the topics
 * (rate-limited anomaly alerts, allocation commands, dead letters), and the alerts' webhook when
 * one is configured ({@code webhook} is null otherwise).
 */
public record ShadowSinks(
        Sink<ActionSample> samples,
        Sink<RunSummary> runs,
        Sink<ActionStats> stats,
        Sink<Arrivals> arrivals,
        Sink<Anomaly> anomalies,
        Sink<VerifiedEvent> externalEvents,
        Sink<Anomaly> alerts,
        Sink<Anomaly> webhook,
        Sink<AllocationCommand> allocationCommands,
        Sink<DeadLetter> deadLetters,
        Sink<WorkflowDependency> dependencies,
        Sink<TypeForecast> forecasts,
        Sink<AllocationCommand> allocationHistory) {

    /** The production sinks: PostgreSQL/TimescaleDB history (with the retention) and Kafka. */
    public static ShadowSinks of(ShadowSettings s) {
        HistorySettings h = s.history();
        return new ShadowSinks(
                h.sink(HistoryTables.ACTION_SAMPLES).withRetention(h.retention()),
                h.sink(HistoryTables.WORKFLOW_RUNS),
                h.sink(HistoryTables.ACTION_STATS),
                h.sink(HistoryTables.ARRIVALS),
                h.sink(HistoryTables.ANOMALIES),
                h.sink(HistoryTables.EXTERNAL_EVENTS),
                s.kafka()
                        .jsonSink(
                                s.anomaliesTopic(),
                                Anomaly::workflowType,
                                s.guarantee(),
                                "foreshadow-anomalies"),
                s.anomaly().webhook() == null
                        ? null
                        : new WebhookSink<Anomaly>(s.anomaly().webhook())
                                .withDeliveryId(Anomaly::anomalyId),
                s.kafka()
                        .jsonSink(
                                s.allocationCommandsTopic(),
                                AllocationCommand::pool,
                                s.guarantee(),
                                "foreshadow-allocation-commands"),
                s.kafka()
                        .deadLetterSink(
                                s.deadLettersTopic(),
                                s.privacy(),
                                s.guarantee(),
                                "foreshadow-dead-letters"),
                h.sink(HistoryTables.WORKFLOW_DEPENDENCIES),
                h.sink(HistoryTables.FORECASTS),
                h.sink(HistoryTables.ALLOCATION_COMMANDS));
    }
}
