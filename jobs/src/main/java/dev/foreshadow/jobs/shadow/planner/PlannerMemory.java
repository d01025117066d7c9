package dev.foreshadow.jobs.shadow.planner;

import dev.foreshadow.models.planning.Planner;

/**
 * What a pool's {@link Planner} has learnt, as a Flink POJO in keyed state so that it survives a
 * restore: the quantile adapted by the realised work and the plans not yet scored.
 */
public final class PlannerMemory {

    /** The quantile the next plan sizes for. */
    public double quantile;

    /** Per plan not yet scored, when it is to be ready (epoch ms), oldest first. */
    public long[] readyByMs = new long[0];

    /** Per plan not yet scored, the cores it planned. */
    public double[] plannedCores = new double[0];

    public PlannerMemory() {}

    static PlannerMemory of(Planner.Memory m) {
        PlannerMemory p = new PlannerMemory();
        p.quantile = m.quantile();
        p.readyByMs = m.readyByMs();
        p.plannedCores = m.plannedCores();
        return p;
    }

    Planner.Memory memory() {
        return new Planner.Memory(quantile, readyByMs, plannedCores);
    }
}
