package dev.foreshadow.connectors.records;

import com.fasterxml.jackson.annotation.JsonInclude;
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
}
