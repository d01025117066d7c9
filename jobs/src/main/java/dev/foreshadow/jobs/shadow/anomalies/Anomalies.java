package dev.foreshadow.jobs.shadow.anomalies;

import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.common.EventTimeOrder;
import dev.foreshadow.models.domain.AnomalyKind;
import dev.foreshadow.models.domain.Metric;
import java.io.Serializable;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Builds {@link Anomaly} records with ids that are deterministic ({@code kind:event[:metric]}), so
 * a replayed anomaly is stored once.
 */
final class Anomalies {

    private Anomalies() {}

    /**
     * The order of anomalies of one key and one event time: highest score first, then by id, so
     * that the one an operator keeps of simultaneous ones is the same in every run.
     */
    static EventTimeOrder<Anomaly> inEventTimeOrder(String stateName) {
        return new EventTimeOrder<>(
                stateName,
                TypeInformation.of(Anomaly.class),
                (Comparator<Anomaly> & Serializable)
                        (x, y) -> {
                            int byScore = Double.compare(y.score(), x.score());
                            return byScore != 0 ? byScore : x.anomalyId().compareTo(y.anomalyId());
                        });
    }

    /** The order of a key's events of one event time: by event id. */
    static EventTimeOrder<WorkflowEvent> eventsInEventTimeOrder(String stateName) {
        return new EventTimeOrder<>(
                stateName,
                TypeInformation.of(WorkflowEvent.class),
                (Comparator<WorkflowEvent> & Serializable)
                        (x, y) -> x.eventId().compareTo(y.eventId()));
    }

    static Anomaly ofSample(
            AnomalyKind kind,
            ActionSample s,
            Metric metric,
            double expected,
            double score,
            Map<String, String> context) {
        return new Anomaly(
                kind.wireName() + ":" + s.eventId() + ":" + metric.wireName(),
                kind.wireName(),
                s.time(),
                s.tenant(),
                s.workflowType(),
                s.runId(),
                s.actionType(),
                s.actionId(),
                metric.wireName(),
                s.value(metric),
                expected,
                score,
                context);
    }

    /** An anomaly about an event; {@code metric} is null when it concerns no one metric. */
    static Anomaly ofEvent(
            AnomalyKind kind,
            WorkflowEvent e,
            Instant time,
            Metric metric,
            double observed,
            double expected,
            double score,
            Map<String, String> context) {
        return new Anomaly(
                kind.wireName()
                        + ":"
                        + e.eventId()
                        + (metric == null ? "" : ":" + metric.wireName()),
                kind.wireName(),
                time,
                e.tenant(),
                e.workflowType(),
                e.runId(),
                e.actionType(),
                e.actionId(),
                metric == null ? null : metric.wireName(),
                observed,
                expected,
                score,
                context);
    }
}
