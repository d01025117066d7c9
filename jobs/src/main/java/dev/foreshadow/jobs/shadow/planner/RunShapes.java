package dev.foreshadow.jobs.shadow.planner;

import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.models.demand.ResourceProfile;
import java.util.List;

/**
 * The most recent finished runs of one workflow type, each as its length, the actions it ended, its
 * progress (when it had ended each eighth of them) and its average demand (cores from its CPU
 * seconds, memory from its GiB-seconds, bytes moved): a ring of {@link #MAX_RUNS}, a Flink POJO in
 * keyed state, from which the type's {@link ResourceProfile} is built.
 */
public final class RunShapes {

    static final int MAX_RUNS = 100;
    private static final int POINTS = ResourceProfile.PROGRESS_POINTS;
    private static final double GIB = 1024.0 * 1024 * 1024;

    public long[] durationMs = new long[0];
    public double[] cores = new double[0];
    public double[] memoryBytes = new double[0];
    public long[] bytes = new long[0];
    public int[] actions = new int[0];

    /**
     * Per run, its {@link ResourceProfile#PROGRESS_POINTS} progress offsets one after the other
     * (the first -1 when the summary had none).
     */
    public long[] progress = new long[0];

    /** The next slot to overwrite once full. */
    public int next;

    public RunShapes() {}

    void add(RunSummary r) {
        long d = Math.max(1, r.endTime().toEpochMilli() - r.startTime().toEpochMilli());
        int i;
        if (durationMs.length < MAX_RUNS) {
            i = durationMs.length;
            durationMs = java.util.Arrays.copyOf(durationMs, i + 1);
            cores = java.util.Arrays.copyOf(cores, i + 1);
            memoryBytes = java.util.Arrays.copyOf(memoryBytes, i + 1);
            bytes = java.util.Arrays.copyOf(bytes, i + 1);
            actions = java.util.Arrays.copyOf(actions, i + 1);
            progress = java.util.Arrays.copyOf(progress, (i + 1) * POINTS);
        } else {
            i = next;
            next = (next + 1) % MAX_RUNS;
        }
        durationMs[i] = d;
        cores[i] = r.cpuSeconds() / (d / 1000.0);
        memoryBytes[i] = r.memoryGibSeconds() * GIB / (d / 1000.0);
        bytes[i] = r.networkBytes();
        actions[i] = r.actions();
        java.util.Arrays.fill(progress, i * POINTS, (i + 1) * POINTS, -1);
        if (r.progress().size() == POINTS) {
            for (int p = 0; p < POINTS; p++) {
                progress[i * POINTS + p] = r.progress().get(p);
            }
        }
    }

    /** The type's profile: each run one average action over its length, in bins of a minute. */
    ResourceProfile profile(String type) {
        ResourceProfile.Builder b = ResourceProfile.builder(type, 60_000, MAX_RUNS);
        for (int i = 0; i < durationMs.length; i++) {
            b.addRun(
                    List.of(
                            new ResourceProfile.Action(
                                    0,
                                    durationMs[i],
                                    cores[i],
                                    Math.round(memoryBytes[i]),
                                    bytes[i])),
                    actions[i],
                    progress.length < (i + 1) * POINTS || progress[i * POINTS] < 0
                            ? null
                            : java.util.Arrays.copyOfRange(progress, i * POINTS, (i + 1) * POINTS));
        }
        return b.build();
    }

    int runs() {
        return durationMs.length;
    }
}
