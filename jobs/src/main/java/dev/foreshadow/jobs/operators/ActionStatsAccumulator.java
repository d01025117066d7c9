package dev.foreshadow.jobs.operators;

import dev.foreshadow.models.stats.Reservoir;

/** The running sums of one (workflow type, action type) minute window; a Flink POJO. */
public final class ActionStatsAccumulator {
    public long count;
    public long failures;
    public double durationSumMs;
    public double cpuSeconds;
    public double memoryGibSeconds;
    public long networkInBytes;
    public long networkOutBytes;
    public long bytesRead;
    public long bytesWritten;
    public double cost;

    /** Durations (ms) for the quantiles: exact up to its capacity, a uniform sample beyond. */
    public Reservoir durations = new Reservoir(ActionStatsWindow.RESERVOIR_CAPACITY, 0x5eed);

    public ActionStatsAccumulator() {}
}
