package dev.foreshadow.jobs.operators;

import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.time.Instant;
import java.util.Map;

/**
 * Builds {@link Anomaly} records with ids that are deterministic, so a replayed anomaly is stored
 * once.
 */
final class Anomalies {

    static final String METRIC = "metric";
    static final String SUSTAINED_SPIKE = "sustained-spike";
    static final String RETRY_STORM = "retry-storm";
    static final String UNEXPECTED_ORDER = "unexpected-order";
    static final String COST_OVERRUN = "cost-overrun";
    static final String STUCK_ACTION = "stuck-action";

    private Anomalies() {}

    static Anomaly ofSample(
            String kind,
            ActionSample s,
            String metric,
            double observed,
            double expected,
            double score,
            Map<String, String> context) {
        return new Anomaly(
                kind + ":" + s.eventId() + ":" + metric,
                kind,
                s.time(),
                s.tenant(),
                s.workflowType(),
                s.runId(),
                s.actionType(),
                s.actionId(),
                metric,
                observed,
                expected,
                score,
                context);
    }

    static Anomaly ofEvent(
            String kind,
            WorkflowEvent e,
            Instant time,
            String metric,
            double observed,
            double expected,
            double score,
            Map<String, String> context) {
        return new Anomaly(
                kind + ":" + e.eventId() + (metric == null ? "" : ":" + metric),
                kind,
                time,
                e.tenant(),
                e.workflowType(),
                e.runId(),
                e.actionType(),
                e.actionId(),
                metric,
                observed,
                expected,
                score,
                context);
    }

    /** The value of one of {@code ActionScorer.METRICS} on a sample. */
    static double metric(ActionSample s, String name) {
        return switch (name) {
            case "durationMs" -> s.durationMs();
            case "cpuSeconds" -> s.cpuSeconds();
            case "peakCores" -> s.peakCores();
            case "peakMemoryBytes" -> s.peakMemoryBytes();
            case "networkInBytes" -> s.networkInBytes();
            case "networkOutBytes" -> s.networkOutBytes();
            case "bytesRead" -> s.bytesRead();
            case "bytesWritten" -> s.bytesWritten();
            case "cost" -> s.cost();
            default ->
                    throw new IllegalArgumentException(
                            "no metric " + name + " on an action sample");
        };
    }
}
