package dev.foreshadow.jobs.shadow;

import dev.foreshadow.connectors.history.HistorySink;
import dev.foreshadow.connectors.history.HistoryTables;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.ActionStats;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.webhook.WebhookSink;
import dev.foreshadow.jobs.config.ShadowSettings;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Where ShadowJob writes: the history tables (samples, runs, statistics, arrivals, every anomaly),
 * and the topics (rate-limited anomaly alerts, allocation commands, dead letters), and the alerts'
 * webhook when one is configured ({@code webhook} is null otherwise).
 */
public record ShadowSinks(
        Sink<ActionSample> samples,
        Sink<RunSummary> runs,
        Sink<ActionStats> stats,
        Sink<Arrivals> arrivals,
        Sink<Anomaly> anomalies,
        Sink<Anomaly> alerts,
        Sink<Anomaly> webhook,
        Sink<AllocationCommand> allocationCommands,
        Sink<DeadLetter> deadLetters) {

    /** The production sinks: PostgreSQL/TimescaleDB history (with the retention) and Kafka. */
    public static ShadowSinks of(ShadowSettings s) {
        DeliveryGuarantee guarantee =
                s.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
        return new ShadowSinks(
                new HistorySink<>(
                                s.history(),
                                HistoryTables.ACTION_SAMPLES,
                                s.batchSize(),
                                s.flushInterval())
                        .withRetention(s.retention()),
                new HistorySink<>(
                        s.history(), HistoryTables.WORKFLOW_RUNS, s.batchSize(), s.flushInterval()),
                new HistorySink<>(
                        s.history(), HistoryTables.ACTION_STATS, s.batchSize(), s.flushInterval()),
                new HistorySink<>(
                        s.history(), HistoryTables.ARRIVALS, s.batchSize(), s.flushInterval()),
                new HistorySink<>(
                        s.history(), HistoryTables.ANOMALIES, s.batchSize(), s.flushInterval()),
                s.kafka()
                        .jsonSink(
                                s.anomaliesTopic(),
                                Anomaly::workflowType,
                                guarantee,
                                "foreshadow-anomalies"),
                s.webhook() == null
                        ? null
                        : new WebhookSink<Anomaly>(s.webhook()).withDeliveryId(Anomaly::anomalyId),
                s.kafka()
                        .jsonSink(
                                s.allocationCommandsTopic(),
                                AllocationCommand::pool,
                                guarantee,
                                "foreshadow-allocation-commands"),
                s.kafka()
                        .jsonSink(
                                s.deadLettersTopic(),
                                DeadLetter::source,
                                guarantee,
                                "foreshadow-dead-letters"));
    }
}
