package dev.foreshadow.models.demand;

import java.util.Set;

/**
 * An external event as the forecaster knows it: what kind it is, when it runs ({@code [startMs,
 * endMs)}, epoch milliseconds), its announced magnitude, the workflow types it affects, and when it
 * was announced (the forecaster may use it from then on).
 */
public record AnnouncedEvent(
        String kind,
        long startMs,
        long endMs,
        double magnitude,
        Set<String> workflowTypes,
        long announcedMs) {

    public AnnouncedEvent {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("an event needs a kind");
        }
        if (endMs <= startMs) {
            throw new IllegalArgumentException("an event must end after it starts");
        }
        workflowTypes = Set.copyOf(workflowTypes);
    }
}
