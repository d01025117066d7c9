package dev.foreshadow.jobs.shadow.planner;

import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.jobs.shadow.shadowing.RunProgress;

/**
 * What the Planner of one pool receives, one of: a forecast of a workflow type routed to the pool,
 * a run of such a type that started (a run in flight until its summary comes), how far a run in
 * flight has got, a finished run (its resource profile, the work done, and no longer in flight), or
 * an anomaly scale-up to bound. The pool is the configured pool that lists the type, else the
 * type's default ({@link PlanningSettings#poolOf}).
 */
public record PoolInput(
        String pool,
        TypeForecast forecast,
        RunSummary run,
        AllocationCommand scaleUp,
        Arrivals start,
        RunProgress progress) {

    public static PoolInput of(TypeForecast f, PlanningSettings pools) {
        return new PoolInput(pools.poolOf(f.typeKey()).name(), f, null, null, null, null);
    }

    public static PoolInput of(RunSummary r, PlanningSettings pools) {
        return new PoolInput(pools.poolOf(r.typeKey()).name(), null, r, null, null, null);
    }

    /**
     * An anomaly scale-up for a type's default pool, bounded in the pool the type is planned in.
     */
    public static PoolInput of(AllocationCommand c, PlanningSettings pools) {
        return new PoolInput(pools.poolOfDefault(c.pool()), null, null, c, null, null);
    }

    /** A run start, as the Shadow reports it on {@code RUN_STARTS} (one run). */
    public static PoolInput of(Arrivals start, PlanningSettings pools) {
        return new PoolInput(pools.poolOf(start.typeKey()).name(), null, null, null, start, null);
    }

    /** A run in flight that ended one more action, as the Shadow reports it. */
    public static PoolInput of(RunProgress p, PlanningSettings pools) {
        return new PoolInput(pools.poolOf(p.typeKey()).name(), null, null, null, null, p);
    }

    /** The Flink key of {@link PlanPool}. */
    public static String key(PoolInput i) {
        return i.pool();
    }
}
