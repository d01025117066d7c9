package dev.foreshadow.connectors.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.foreshadow.models.domain.AttemptKey;
import dev.foreshadow.models.domain.RunKey;
import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Instant;
import java.util.Map;

/**
 * One event of a running workflow, as the engine publishes it on {@code workflow-events}.
 * Immutable; built only by {@link dev.foreshadow.connectors.json.EventDecoder} (which validates it)
 * or by code that produces events (the demo).
 *
 * @param triggeredBy the run that started this one (for dependency statistics), or null
 * @param attempt the attempt number of the action (1 for the first try), or null when the engine
 *     does not say
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowEvent(
        String eventId,
        EventType type,
        Instant time,
        String tenant,
        String workflowType,
        String runId,
        String actionType,
        String actionId,
        String triggeredBy,
        Integer attempt,
        ActionMetrics metrics,
        Security security,
        Cost cost,
        Map<String, String> attributes) {

    public WorkflowEvent {
        metrics = metrics == null ? ActionMetrics.NONE : metrics;
        security = security == null ? Security.NONE : security;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The run this event belongs to. */
    public RunKey runKey() {
        return new RunKey(tenant, runId);
    }

    /** The workflow type of the run. */
    public WorkloadKey typeKey() {
        return WorkloadKey.ofType(tenant, workflowType);
    }

    /** The action type of an action event (for a run event: its workflow type). */
    public WorkloadKey workloadKey() {
        return actionType == null
                ? typeKey()
                : WorkloadKey.ofAction(tenant, workflowType, actionType);
    }

    /** The attempt of an action event, the first when the engine does not say. */
    public AttemptKey attemptKey() {
        return AttemptKey.of(actionId, attempt);
    }
}
