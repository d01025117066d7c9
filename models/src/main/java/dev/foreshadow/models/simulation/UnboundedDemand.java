package dev.foreshadow.models.simulation;

import java.util.Arrays;

/**
 * The demand the runs put on a pool that never lacks capacity (every task starts when its last
 * parent ends), from their unbounded schedules merged in time order: per bin of {@code binMs} the
 * largest number of instances needed at any moment (cores and memory, each rounded up to whole
 * instances), and the average cores in use on a coarser grid for charts. This is what the oracle
 * knows in advance.
 */
final class UnboundedDemand {

    final long originMs;
    final long binMs;

    /** Instances needed at the busiest moment of each bin. */
    final int[] instances;

    /** Average cores in use per chart step (the {@link SimulationResult.Timeline} grid). */
    final float[] chartCores;

    private UnboundedDemand(long originMs, long binMs, int[] instances, float[] chartCores) {
        this.originMs = originMs;
        this.binMs = binMs;
        this.instances = instances;
        this.chartCores = chartCores;
    }

    /** Instances needed in bin {@code b}, 0 outside the computed span. */
    int instancesAt(int b) {
        return b >= 0 && b < instances.length ? instances[b] : 0;
    }

    static UnboundedDemand of(
            Workload workload,
            InstanceShape shape,
            long from,
            long to,
            long binMs,
            long chartFrom,
            long chartStepMs,
            int chartPoints) {
        Template[] templates = workload.templates.toArray(Template[]::new);
        // per template, its task starts and ends as one sorted list of (offset, +-task)
        long[][] changes = new long[templates.length][];
        for (int t = 0; t < templates.length; t++) {
            Template tp = templates[t];
            long[] c = new long[2 * tp.size];
            for (int i = 0; i < tp.size; i++) {
                c[2 * i] = (tp.unboundedStartMs[i] << 21) | (1L << 20) | i;
                c[2 * i + 1] = ((tp.unboundedStartMs[i] + tp.runtimeMs[i]) << 21) | i;
            }
            Arrays.sort(c); // ends before starts at the same offset
            changes[t] = c;
        }
        int first = workload.firstAtOrAfter(from);
        int end = workload.firstAtOrAfter(to);
        long horizon = to;
        for (int r = first; r < end; r++) {
            horizon =
                    Math.max(
                            horizon,
                            workload.startMs[r] + templates[workload.template[r]].criticalPathMs);
        }
        int bins = (int) ((horizon - from) / binMs) + 2;
        long[] maxCores = new long[bins];
        long[] maxMemory = new long[bins];
        double[] chartArea = new double[chartPoints];
        EventQueue queue = new EventQueue();
        int[] position = new int[Math.max(1, end - first)];
        long cores = 0;
        long memory = 0;
        long last = from;
        int r = first;
        while (r < end || !queue.isEmpty()) {
            long tArrival = r < end ? workload.startMs[r] : Long.MAX_VALUE;
            long tChange = queue.isEmpty() ? Long.MAX_VALUE : queue.peekTime();
            long t = Math.min(tArrival, tChange);
            carry(maxCores, maxMemory, from, binMs, last, t, cores, memory);
            addChart(chartArea, chartFrom, chartStepMs, last, t, cores);
            last = t;
            if (tArrival <= tChange) {
                queue.push(t + (changes[workload.template[r]][0] >>> 21), r - first);
                r++;
                continue;
            }
            int run = (int) queue.pop();
            int tp = workload.template[first + run];
            long change = changes[tp][position[run]++];
            int task = (int) (change & ((1 << 20) - 1));
            long sign = (change & (1L << 20)) != 0 ? 1 : -1;
            cores += sign * templates[tp].cores[task];
            memory += sign * templates[tp].memoryMiB[task];
            int b = (int) ((t - from) / binMs);
            maxCores[b] = Math.max(maxCores[b], cores);
            maxMemory[b] = Math.max(maxMemory[b], memory);
            if (position[run] < changes[tp].length) {
                queue.push(
                        workload.startMs[first + run] + (changes[tp][position[run]] >>> 21), run);
            }
        }
        int[] instances = new int[bins];
        for (int b = 0; b < bins; b++) {
            long byCores = (maxCores[b] + shape.cores() - 1) / shape.cores();
            long byMemory = (maxMemory[b] + shape.memoryMiB() - 1) / shape.memoryMiB();
            instances[b] = (int) Math.max(byCores, byMemory);
        }
        float[] chart = new float[chartPoints];
        for (int i = 0; i < chartPoints; i++) {
            chart[i] = (float) (chartArea[i] / chartStepMs);
        }
        return new UnboundedDemand(from, binMs, instances, chart);
    }

    /** The level held over {@code [t0, t1)} counts toward the maximum of every bin it touches. */
    private static void carry(
            long[] maxCores,
            long[] maxMemory,
            long from,
            long binMs,
            long t0,
            long t1,
            long cores,
            long memory) {
        if (t1 <= t0 || (cores == 0 && memory == 0)) {
            return;
        }
        int b0 = (int) ((t0 - from) / binMs);
        int b1 = (int) ((t1 - 1 - from) / binMs);
        for (int b = b0; b <= b1; b++) {
            maxCores[b] = Math.max(maxCores[b], cores);
            maxMemory[b] = Math.max(maxMemory[b], memory);
        }
    }

    private static void addChart(
            double[] area, long chartFrom, long stepMs, long t0, long t1, long cores) {
        if (cores == 0 || t1 <= t0 || area.length == 0) {
            return;
        }
        long a = Math.max(t0, chartFrom);
        long end = Math.min(t1, chartFrom + stepMs * area.length);
        while (a < end) {
            int i = (int) ((a - chartFrom) / stepMs);
            long binEnd = Math.min(end, chartFrom + (i + 1) * stepMs);
            area[i] += (double) cores * (binEnd - a);
            a = binEnd;
        }
    }
}
