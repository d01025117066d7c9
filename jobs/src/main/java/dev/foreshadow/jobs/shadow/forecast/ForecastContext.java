package dev.foreshadow.jobs.shadow.forecast;

import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.connectors.records.VerifiedEvent;
import dev.foreshadow.connectors.records.WorkflowDependency;
import dev.foreshadow.models.domain.WorkloadKey;
import java.util.List;

/**
 * What every Forecast subtask is told (the broadcast side), one of: an accepted external event
 * ({@code event}, with the time it was announced), a dependency estimate ({@code dependency}), or a
 * workflow type's arrivals over the cycle ({@code shape}, for the prior of a new type); the others
 * are null.
 */
public record ForecastContext(
        ExternalEvent event, long announcedMs, WorkflowDependency dependency, ArrivalShape shape) {

    public static ForecastContext of(VerifiedEvent v) {
        ExternalEvent e = v.event();
        long announced =
                e.announcedAt() != null
                        ? e.announcedAt().toEpochMilli()
                        : v.signedAt().toEpochMilli();
        return new ForecastContext(e, announced, null, null);
    }

    public static ForecastContext of(WorkflowDependency d) {
        return new ForecastContext(null, 0, d, null);
    }

    public static ForecastContext of(ArrivalShape s) {
        return new ForecastContext(null, 0, null, s);
    }

    /** The broadcast state's key: a re-sent event or a newer estimate replaces the older. */
    String stateKey() {
        if (event != null) {
            return "event " + event.tenant() + " " + event.eventId();
        }
        if (shape != null) {
            return "shape " + shape.typeKey().encoded();
        }
        return "dependency "
                + dependency.parentKey().encoded()
                + " "
                + dependency.childKey().encoded();
    }

    /** Whether {@code event} concerns the workflow type (no types listed: all of its tenant's). */
    static boolean affects(ExternalEvent event, WorkloadKey type) {
        List<String> types = event.workflowTypes();
        return event.tenant().equals(type.tenant())
                && (types.isEmpty() || types.contains(type.workflowType()));
    }
}
