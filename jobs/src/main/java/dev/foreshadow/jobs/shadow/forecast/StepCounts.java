package dev.foreshadow.jobs.shadow.forecast;

import java.util.Arrays;

/**
 * One workflow type's runs started per step, a Flink POJO in keyed state: {@code counts[i]} runs in
 * the step starting at {@code firstStepMs + i x stepMs}, at most {@code maxSteps} kept (the oldest
 * dropped).
 */
public final class StepCounts {

    /** Start of the step of {@code counts[0]} (epoch ms). */
    public long firstStepMs;

    /** Runs per step. */
    public double[] counts = new double[0];

    public StepCounts() {}

    StepCounts(long firstStepMs) {
        this.firstStepMs = firstStepMs;
    }

    /** Adds {@code runs} at {@code timeMs}; a time before the first step kept is ignored. */
    void add(long timeMs, double runs, long stepMs, int maxSteps) {
        long index = Math.floorDiv(timeMs - firstStepMs, stepMs);
        if (index < 0) {
            return;
        }
        if (index >= counts.length) {
            counts = Arrays.copyOf(counts, (int) index + 1);
        }
        counts[(int) index] += runs;
        if (counts.length > maxSteps) {
            int drop = counts.length - maxSteps;
            counts = Arrays.copyOfRange(counts, drop, counts.length);
            firstStepMs += drop * stepMs;
        }
    }

    /**
     * The counts of the steps from {@code fromMs} (a step start) up to {@code toMs}, 0 where none.
     */
    double[] between(long fromMs, long toMs, long stepMs) {
        int n = (int) Math.max(0, (toMs - fromMs) / stepMs);
        double[] out = new double[n];
        long offset = Math.floorDiv(fromMs - firstStepMs, stepMs);
        for (int i = 0; i < n; i++) {
            long j = offset + i;
            if (j >= 0 && j < counts.length) {
                out[i] = counts[(int) j];
            }
        }
        return out;
    }
}
