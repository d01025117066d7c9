package dev.foreshadow.models.simulation;

import dev.foreshadow.models.forecast.ForecastModel;
import dev.foreshadow.models.forecast.Models;
import dev.foreshadow.models.forecast.Series;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The hybrid histogram policy of Shahrad et al., "Serverless in the Wild: Characterizing and
 * Optimizing the Serverless Workload at a Large Cloud Provider" (USENIX ATC 2020, section 4.2),
 * with the constants of the paper and of its dslab-faas re-implementation (osukhoroslov/dslab,
 * {@code hybrid_histogram.rs}), adapted from function containers to the instances of a pool.
 *
 * <p>Per workflow type it keeps a histogram of idle times (IT: from the end of one run to the start
 * of the next, 0 when they overlap) in 1-minute bins over 4 hours. When an instance becomes idle,
 * the type whose task it ran last decides: with a representative histogram (coefficient of
 * variation of the bin counts at least 2, and at least {@link #MIN_SAMPLES} ITs), the instance is
 * kept until 1.1 x the upper edge of the 99th-percentile bin ("keep-alive window"), or, when the
 * 5th percentile is above 0, released at once and replaced by a pre-warmed instance READY at 0.9 x
 * that percentile and kept to the end of the keep-alive window; with a histogram that is not
 * representative it is kept for the whole 4 hours; when at least half of the ITs fall beyond 4
 * hours, the next IT is predicted from the series of ITs (simple exponential smoothing, i.e.
 * ARIMA(0,1,1), from {@code models/forecast}) and the instance pre-warmed at 0.85 x and kept to
 * 1.15 x the prediction. Capacity for work that waits is requested at once (a cold start), as a
 * FaaS platform starts a container for an invocation that finds none.
 *
 * <p>Adaptation to pools: a container serves one function, an instance serves every type; the
 * windows of an idle instance are those of the type that ran on it last, and a pre-warmed instance
 * is asked for a lead time (boot and warm-up) before it should be READY.
 */
final class HybridHistogramPolicy implements Policy {

    static final long RANGE_MS = 4 * 3600_000L;
    static final long BIN_MS = 60_000;
    static final double HEAD = 0.05;
    static final double TAIL = 0.99;
    static final double CV_THRESHOLD = 2.0;
    static final double OUT_OF_BOUNDS_THRESHOLD = 0.5;
    static final double HISTOGRAM_MARGIN = 0.1;
    static final double PREDICTION_MARGIN = 0.15;

    /** ITs needed before a histogram is trusted (the paper asks for enough; 10 is our choice). */
    static final int MIN_SAMPLES = 10;

    /** The ITs the time-series prediction learns from (the most recent ones). */
    static final int SERIES_LENGTH = 200;

    private static final long KEEP_ALIVE = 0;
    private static final long PREWARM = 1L << 56;

    private final IdleTimes[] types;
    private final long[] lastFinish;
    private final Map<Long, long[]> prewarms = new HashMap<>();
    private long nextPrewarm;

    /**
     * @param history runs before the simulated span, as (start, end, type) in order of end, from
     *     which the histograms start
     */
    HybridHistogramPolicy(int typeCount, long[][] history) {
        types = new IdleTimes[typeCount];
        for (int k = 0; k < typeCount; k++) {
            types[k] = new IdleTimes();
        }
        lastFinish = new long[typeCount];
        Arrays.fill(lastFinish, Long.MIN_VALUE);
        for (long[] run : history) {
            finished((int) run[2], run[0], run[1]);
        }
    }

    @Override
    public String name() {
        return "hybrid";
    }

    @Override
    public long periodMs() {
        return 0;
    }

    @Override
    public void onRunFinished(Cluster cluster, int run, int type, long now) {
        finished(type, cluster.runStartMs(run), now);
    }

    private void finished(int type, long start, long end) {
        if (lastFinish[type] != Long.MIN_VALUE) {
            types[type].add(Math.max(0, start - lastFinish[type]));
        }
        lastFinish[type] = Math.max(lastFinish[type], end);
    }

    @Override
    public void onTasksWaiting(Cluster cluster, long now) {
        long cores = cluster.coresPerInstance();
        long needed = (cluster.queuedCores() + cores - 1) / cores - cluster.pendingInstances();
        int type = cluster.oldestWaitingType();
        for (long i = 0; i < needed; i++) {
            cluster.request(type);
        }
    }

    @Override
    public void onInstanceIdle(Cluster cluster, int instance, long now) {
        int type = cluster.lastType(instance);
        long preset = cluster.keepUntil(instance);
        if (preset != Long.MAX_VALUE && cluster.readyAt(instance) == now) {
            arm(cluster, instance, preset); // a pre-warmed instance, READY with its window set
            return;
        }
        Windows w = type >= 0 ? types[type].windows() : Windows.UNCERTAIN;
        if (w.prewarmMs() > 0) {
            cluster.release(instance);
            long readyBy = now + w.prewarmMs();
            long id = nextPrewarm++;
            prewarms.put(id, new long[] {type, now + w.keepAliveMs()});
            cluster.timer(readyBy - cluster.leadMs(), PREWARM | id);
        } else {
            arm(cluster, instance, now + w.keepAliveMs());
        }
    }

    private static void arm(Cluster cluster, int instance, long until) {
        cluster.keepUntil(instance, until);
        cluster.timer(until, KEEP_ALIVE | ((long) cluster.generation(instance) << 24) | instance);
    }

    @Override
    public void onTimer(Cluster cluster, long payload, long now) {
        if ((payload & PREWARM) != 0) {
            long[] p = prewarms.remove(payload & ~PREWARM);
            int id = cluster.request((int) p[0]);
            cluster.keepUntil(id, Math.max(p[1], now + cluster.leadMs()));
            return;
        }
        int instance = (int) (payload & 0xFFFFFF);
        int gen = (int) (payload >>> 24);
        // every change of an instance's window arms its own timer, so an early one is dropped
        if (cluster.generation(instance) == gen
                && cluster.isIdle(instance)
                && now >= cluster.keepUntil(instance)) {
            cluster.release(instance);
        }
    }

    /** The windows of one type: how long after an instance goes idle to pre-warm and to keep. */
    record Windows(long prewarmMs, long keepAliveMs, String pattern) {
        static final Windows UNCERTAIN = new Windows(0, RANGE_MS, "not representative");
    }

    /** One type's idle times: the histogram, the count beyond its range, the recent series. */
    static final class IdleTimes {
        private final int[] bins = new int[(int) (RANGE_MS / BIN_MS)];
        private long inRange;
        private long outOfBounds;
        private final ArrayDeque<Double> recent = new ArrayDeque<>();
        private Windows cached;
        private final ForecastModel predictor = Models.byName("ets-n-n");

        void add(long idleMs) {
            int b = (int) (idleMs / BIN_MS);
            if (b < bins.length) {
                bins[b]++;
                inRange++;
            } else {
                outOfBounds++;
            }
            recent.addLast((double) idleMs);
            if (recent.size() > SERIES_LENGTH) {
                recent.pollFirst();
            }
            cached = null;
        }

        Windows windows() {
            if (cached == null) {
                cached = compute();
            }
            return cached;
        }

        private Windows compute() {
            long total = inRange + outOfBounds;
            if (total == 0) {
                return Windows.UNCERTAIN;
            }
            if ((double) outOfBounds / total >= OUT_OF_BOUNDS_THRESHOLD) {
                double[] series = recent.stream().mapToDouble(Double::doubleValue).toArray();
                double next =
                        Math.max(
                                0,
                                predictor.forecast(Series.of("it", series), series.length, 1)
                                        .p50()[0]);
                return new Windows(
                        Math.round(next * (1 - PREDICTION_MARGIN)),
                        Math.round(next * (1 + PREDICTION_MARGIN)),
                        "out of bounds: time-series prediction");
            }
            if (inRange < MIN_SAMPLES || coefficientOfVariation() < CV_THRESHOLD) {
                return Windows.UNCERTAIN;
            }
            int head = percentileBin(HEAD);
            int tail = percentileBin(TAIL);
            return new Windows(
                    Math.round(head * BIN_MS * (1 - HISTOGRAM_MARGIN)),
                    Math.round((tail + 1) * BIN_MS * (1 + HISTOGRAM_MARGIN)),
                    "histogram");
        }

        /** Of the bin counts (sample standard deviation over mean), as dslab-faas computes it. */
        double coefficientOfVariation() {
            double mean = (double) inRange / bins.length;
            double squares = 0;
            for (int c : bins) {
                squares += (c - mean) * (c - mean);
            }
            return Math.sqrt(squares / (bins.length - 1)) / mean;
        }

        /** The first bin at which the cumulative share of in-range ITs reaches {@code p}. */
        int percentileBin(double p) {
            long prefix = 0;
            for (int i = 0; i < bins.length; i++) {
                prefix += bins[i];
                if ((double) prefix / inRange >= p) {
                    return i;
                }
            }
            return bins.length - 1;
        }
    }
}
