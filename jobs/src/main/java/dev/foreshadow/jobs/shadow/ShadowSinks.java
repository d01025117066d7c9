package dev.foreshadow.jobs.shadow;

import dev.foreshadow.connectors.history.HistorySink;
import dev.foreshadow.connectors.history.HistoryTables;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.ActionStats;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.jobs.config.ShadowSettings;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Where ShadowJob writes: the history tables and the dead-letters topic. */
public record ShadowSinks(
        Sink<ActionSample> samples,
        Sink<RunSummary> runs,
        Sink<ActionStats> stats,
        Sink<Arrivals> arrivals,
        Sink<DeadLetter> deadLetters) {

    /** The production sinks: PostgreSQL/TimescaleDB history (with the retention) and Kafka. */
    public static ShadowSinks of(ShadowSettings s) {
        return new ShadowSinks(
                new HistorySink<>(s.history(), HistoryTables.ACTION_SAMPLES, s.batchSize(), s.flushInterval())
                        .withRetention(s.retention()),
                new HistorySink<>(s.history(), HistoryTables.WORKFLOW_RUNS, s.batchSize(), s.flushInterval()),
                new HistorySink<>(s.history(), HistoryTables.ACTION_STATS, s.batchSize(), s.flushInterval()),
                new HistorySink<>(s.history(), HistoryTables.ARRIVALS, s.batchSize(), s.flushInterval()),
                s.kafka().jsonSink(s.deadLettersTopic(), DeadLetter::source,
                        s.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE,
                        "foreshadow-dead-letters"));
    }
}
