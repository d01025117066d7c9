package dev.foreshadow.connectors.records;

import java.time.Instant;
import java.util.List;

/**
 * Something outside the engine that changes demand: a marketing campaign, a sales forecast, a
 * traffic surge, a sensor reading. Arrives on {@code external-events}, signed (see DESIGN.md,
 * Security).
 *
 * @param magnitude the expected demand multiplier while the event lasts (1.0 = no change)
 * @param workflowTypes the workflow types it affects; empty means all
 */
public record ExternalEvent(
        String eventId,
        String source,
        String kind,
        Instant start,
        Instant end,
        double magnitude,
        List<String> workflowTypes) {

    public ExternalEvent {
        workflowTypes = workflowTypes == null ? List.of() : List.copyOf(workflowTypes);
    }
}
