package dev.foreshadow.jobs.shadow.anomalies;

import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Named records for the anomaly operators' harness tests. */
final class OperatorFixtures {

    static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");

    /** The history retention of these tests: a key silent this long is forgotten. */
    static final Duration RETENTION = Duration.ofDays(30);

    /** An event time past the retention of anything these tests send around {@link #T0}. */
    static final long LONG_AFTER = T0.plus(RETENTION).plus(Duration.ofDays(3)).toEpochMilli();

    private OperatorFixtures() {}

    static void send(
            KeyedOneInputStreamOperatorTestHarness<String, WorkflowEvent, Anomaly> h,
            WorkflowEvent e)
            throws Exception {
        h.processElement(e, e.time().toEpochMilli());
    }

    /** Sends {@code e}, then the watermark of its time (see the anomalies' overload). */
    static void sendThenWatermark(
            KeyedOneInputStreamOperatorTestHarness<String, WorkflowEvent, Anomaly> h,
            WorkflowEvent e)
            throws Exception {
        send(h, e);
        h.processWatermark(e.time().toEpochMilli());
    }

    static ActionMetrics metrics(long durationMs) {
        return new ActionMetrics(durationMs, 0.1, 0.5, 1000L, 0L, 0L, 0L, 0L);
    }

    static ActionSample sample(String id, Instant t, long durationMs) {
        return new ActionSample(
                id,
                t,
                t.minusMillis(durationMs),
                "shop",
                "etl",
                "run-" + id,
                "load",
                "a-" + id,
                false,
                1,
                durationMs,
                0.5,
                1.0,
                1 << 20,
                1000,
                1000,
                0,
                0,
                null,
                List.of(),
                0.001,
                "USD",
                true,
                Map.of());
    }

    static RunSummary run(String id, double cost) {
        return run(id, cost, T0.plusSeconds(60));
    }

    static RunSummary run(String id, double cost, Instant end) {
        return new RunSummary(
                id,
                T0,
                end,
                "shop",
                "etl",
                null,
                RunSummary.COMPLETED,
                3,
                0,
                1,
                1,
                0,
                0,
                0,
                cost,
                "USD",
                List.of());
    }

    static Anomaly anomaly(String id, String tenant) {
        return new Anomaly(
                id,
                "metric",
                T0,
                tenant,
                "etl",
                "r",
                "load",
                "a",
                "durationMs",
                2,
                1,
                0.95,
                Map.of());
    }

    static Anomaly spike(String id, String incident) {
        return spike(id, incident, "peakCores");
    }

    static Anomaly spike(String id, String incident, String metric) {
        return new Anomaly(
                id,
                "sustained-spike",
                T0,
                "shop",
                "etl",
                null,
                "load",
                null,
                metric,
                6,
                2,
                1,
                Map.of(ScoreSamples.INCIDENT_CONTEXT, incident));
    }

    /**
     * Sends {@code a} and then the watermark of its time, as a job does once the operators before
     * have passed that time: anomalies then reach the operator in the order they are sent. Send a
     * late one (stamped behind the watermark) with {@code processElement} alone.
     */
    static void sendThenWatermark(
            KeyedOneInputStreamOperatorTestHarness<String, Anomaly, Anomaly> h, Anomaly a)
            throws Exception {
        long t = a.time().toEpochMilli();
        h.processElement(a, t);
        h.processWatermark(t);
    }
}
