package dev.foreshadow.jobs.shadow.planner;

import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.models.domain.PoolId;

/**
 * What the Planner of one pool receives, one of: a forecast of a workflow type routed to the pool,
 * a run of such a type that started (a run in flight until its summary comes), a finished run (its
 * resource profile, the work done, and no longer in flight), or an anomaly scale-up to bound. The
 * pool is the type's default ({@link PoolId#defaultFor}).
 */
public record PoolInput(
        String pool,
        TypeForecast forecast,
        RunSummary run,
        AllocationCommand scaleUp,
        Arrivals start) {

    public static PoolInput of(TypeForecast f) {
        return new PoolInput(PoolId.defaultFor(f.typeKey()).name(), f, null, null, null);
    }

    public static PoolInput of(RunSummary r) {
        return new PoolInput(PoolId.defaultFor(r.typeKey()).name(), null, r, null, null);
    }

    public static PoolInput of(AllocationCommand c) {
        return new PoolInput(c.pool(), null, null, c, null);
    }

    /** A run start, as the Shadow reports it on {@code RUN_STARTS} (one run). */
    public static PoolInput of(Arrivals start) {
        return new PoolInput(PoolId.defaultFor(start.typeKey()).name(), null, null, null, start);
    }

    /** The Flink key of {@link PlanPool}. */
    public static String key(PoolInput i) {
        return i.pool();
    }
}
