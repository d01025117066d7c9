package dev.foreshadow.jobs.shadow.planner;

import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.models.domain.PoolId;

/**
 * What the Planner of one pool receives, one of: a forecast of a workflow type routed to the pool,
 * a finished run of such a type (its resource profile and the work done), or an anomaly scale-up to
 * bound. The pool is the type's default ({@link PoolId#defaultFor}).
 */
public record PoolInput(
        String pool, TypeForecast forecast, RunSummary run, AllocationCommand scaleUp) {

    public static PoolInput of(TypeForecast f) {
        return new PoolInput(PoolId.defaultFor(f.typeKey()).name(), f, null, null);
    }

    public static PoolInput of(RunSummary r) {
        return new PoolInput(PoolId.defaultFor(r.typeKey()).name(), null, r, null);
    }

    public static PoolInput of(AllocationCommand c) {
        return new PoolInput(c.pool(), null, null, c);
    }

    /** The Flink key of {@link PlanPool}. */
    public static String key(PoolInput i) {
        return i.pool();
    }
}
