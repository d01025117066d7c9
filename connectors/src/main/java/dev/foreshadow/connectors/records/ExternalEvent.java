package dev.foreshadow.connectors.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * Something outside the engine that changes demand: a marketing campaign, a sales forecast, a
 * traffic surge, a sensor reading. It is the signed body of a {@link SignedEnvelope} on {@code
 * external-events}; built only by {@code ExternalEventDecoder} (which validates it) or by code that
 * produces events (the demo, tests).
 *
 * @param tenant whose workflows it affects ({@code default} when the source does not say)
 * @param kind an {@code ExternalEventKind} wire name: campaign, sales-forecast, traffic, sensor,
 *     holiday, release or other
 * @param start when its effect begins
 * @param end when it ends, after {@code start}
 * @param magnitude the expected demand multiplier while the event lasts (1.0 = no change)
 * @param workflowTypes the workflow types it affects; empty means all of the tenant's
 * @param announcedAt when it became known (a forecaster may use it only from then on), or null to
 *     mean the time it was signed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExternalEvent(
        String eventId,
        String tenant,
        String source,
        String kind,
        Instant start,
        Instant end,
        double magnitude,
        List<String> workflowTypes,
        Instant announcedAt) {

    public ExternalEvent {
        workflowTypes = workflowTypes == null ? List.of() : List.copyOf(workflowTypes);
    }
}
