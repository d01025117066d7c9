package dev.foreshadow.models.demand;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The resource profile of a workflow type: the demand one run puts on a pool over time since its
 * start (cores, memory, network), learned from the action samples of past runs. Input: per run its
 * actions (start offset from the run's start, duration, peak cores, peak memory, bytes moved);
 * output: per offset bin of {@link #binMs()} the mean, second moment and quantiles (P50, P90) of
 * each resource across runs, also conditional on a run still running at a given age (a run of a
 * type whose instances differ in size is more likely one of the long ones the older it gets).
 *
 * <p>A run in flight is placed in the profile by how far it has got as well as by its age ({@link
 * #progressed}): a run that has ended few of its type's usual actions still has most of its demand
 * ahead, however old it is.
 *
 * <p>An action's demand is spread over the bins it covers in proportion to its overlap (the time
 * average in each bin). The most recent {@code maxRuns} runs are kept; prefix sums over the runs
 * ordered by length make every conditional moment one subtraction.
 */
public final class ResourceProfile {

    /** What a run uses. */
    public enum Resource {
        CORES,
        MEMORY_BYTES,
        NETWORK_BYTES_PER_SECOND
    }

    /** One action of a run, as the shadow records it. */
    public record Action(
            long startOffsetMs, long durationMs, double cores, long memoryBytes, long bytes) {}

    /** The mean and second moment of a demand. */
    public record Moments(double mean, double secondMoment) {
        public double variance() {
            return Math.max(0, secondMoment - mean * mean);
        }
    }

    private final String workflowType;
    private final long binMs;
    private final int bins;

    /** Run lengths, longest first. */
    private final long[] lengths;

    /** The actions each run ended, in the order of {@link #lengths}. */
    private final int[] actions;

    /**
     * Per run, in the order of {@link #lengths}, its {@link #PROGRESS_POINTS} progress offsets:
     * when it had ended each next share of its actions (null: not known, the run is placed by its
     * age).
     */
    private final long[][] progress;

    /**
     * How many points a run's progress is kept as: when it had ended 1/8, 2/8, ... of its actions.
     */
    public static final int PROGRESS_POINTS = 8;

    /** [resource][run, longest first][bin]: each run's demand curve. */
    private final double[][][] curves;

    /** [resource][k][bin]: sums over the k longest runs of the curve and of its square. */
    private final double[][][] prefix;

    private final double[][][] prefixSquares;

    /** [resource][bin]: cumulative (over bins) mean and second moment over all runs. */
    private final double[][] cumulativeMean;

    private final double[][] cumulativeSecond;

    private ResourceProfile(
            String workflowType,
            long binMs,
            List<double[][]> runCurves,
            long[] runLengths,
            int[] runActions,
            List<long[]> runProgress) {
        this.workflowType = workflowType;
        this.binMs = binMs;
        int runs = runCurves.size();
        Integer[] order = new Integer[runs];
        for (int i = 0; i < runs; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> runLengths[i]).reversed());
        int maxBins = 1;
        for (double[][] c : runCurves) {
            maxBins = Math.max(maxBins, c[0].length);
        }
        this.bins = maxBins;
        int resources = Resource.values().length;
        lengths = new long[runs];
        actions = new int[runs];
        progress = new long[runs][];
        curves = new double[resources][runs][];
        prefix = new double[resources][runs + 1][bins];
        prefixSquares = new double[resources][runs + 1][bins];
        cumulativeMean = new double[resources][bins + 1];
        cumulativeSecond = new double[resources][bins + 1];
        for (int k = 0; k < runs; k++) {
            int i = order[k];
            lengths[k] = runLengths[i];
            actions[k] = runActions[i];
            progress[k] = runProgress.get(i);
            for (int r = 0; r < resources; r++) {
                double[] c = Arrays.copyOf(runCurves.get(i)[r], bins);
                curves[r][k] = c;
                for (int b = 0; b < bins; b++) {
                    prefix[r][k + 1][b] = prefix[r][k][b] + c[b];
                    prefixSquares[r][k + 1][b] = prefixSquares[r][k][b] + c[b] * c[b];
                }
            }
        }
        for (int r = 0; r < resources; r++) {
            for (int b = 0; b < bins; b++) {
                double mean = runs == 0 ? 0 : prefix[r][runs][b] / runs;
                double second = runs == 0 ? 0 : prefixSquares[r][runs][b] / runs;
                cumulativeMean[r][b + 1] = cumulativeMean[r][b] + mean;
                cumulativeSecond[r][b + 1] = cumulativeSecond[r][b] + second;
            }
        }
    }

    public static Builder builder(String workflowType, long binMs, int maxRuns) {
        return new Builder(workflowType, binMs, maxRuns);
    }

    /** Collects runs' actions; keeps the most recent {@code maxRuns} runs. */
    public static final class Builder {
        private final String workflowType;
        private final long binMs;
        private final int maxRuns;
        private final List<double[][]> curves = new ArrayList<>();
        private final List<Long> lengths = new ArrayList<>();
        private final List<Integer> actionCounts = new ArrayList<>();
        private final List<long[]> progress = new ArrayList<>();

        private Builder(String workflowType, long binMs, int maxRuns) {
            if (binMs <= 0 || maxRuns < 1) {
                throw new IllegalArgumentException("a profile needs bins > 0 ms and >= 1 run");
            }
            this.workflowType = workflowType;
            this.binMs = binMs;
            this.maxRuns = maxRuns;
        }

        /** One finished run of the type, by its actions (their ends give its progress). */
        public Builder addRun(List<Action> actions) {
            long[] ends = new long[actions.size()];
            for (int i = 0; i < ends.length; i++) {
                Action a = actions.get(i);
                ends[i] = a.startOffsetMs() + a.durationMs();
            }
            return addRun(actions, actions.size(), progressOf(ends));
        }

        /**
         * One finished run of the type, by its demand as {@code actions}, the number of actions it
         * ended, {@code actionCount} (more than {@code actions} holds when the demand is given as
         * an average over the run), and its {@link #progressOf progress} (null: not known).
         */
        public Builder addRun(List<Action> actions, int actionCount, long[] progress) {
            if (actionCount < 0) {
                throw new IllegalArgumentException("a run cannot end fewer than no actions");
            }
            if (progress != null && progress.length != PROGRESS_POINTS) {
                throw new IllegalArgumentException(
                        "a run's progress is " + PROGRESS_POINTS + " offsets");
            }
            long length = 0;
            for (Action a : actions) {
                if (a.startOffsetMs() < 0 || a.durationMs() < 0) {
                    throw new IllegalArgumentException("an action cannot start before its run");
                }
                length = Math.max(length, a.startOffsetMs() + a.durationMs());
            }
            int n = (int) Math.max(1, (length + binMs - 1) / binMs);
            double[][] c = new double[Resource.values().length][n];
            for (Action a : actions) {
                long from = a.startOffsetMs();
                long to = from + Math.max(1, a.durationMs());
                double rate = a.bytes() / (Math.max(1, a.durationMs()) / 1000.0);
                for (long b = from / binMs; b * binMs < to && b < n; b++) {
                    long overlap = Math.min(to, (b + 1) * binMs) - Math.max(from, b * binMs);
                    double share = (double) overlap / binMs;
                    c[0][(int) b] += a.cores() * share;
                    c[1][(int) b] += a.memoryBytes() * share;
                    c[2][(int) b] += rate * share;
                }
            }
            curves.add(c);
            lengths.add(length);
            actionCounts.add(actionCount);
            this.progress.add(progress == null ? null : progress.clone());
            if (curves.size() > maxRuns) {
                curves.remove(0);
                lengths.remove(0);
                actionCounts.remove(0);
                this.progress.remove(0);
            }
            return this;
        }

        public ResourceProfile build() {
            return new ResourceProfile(
                    workflowType,
                    binMs,
                    curves,
                    lengths.stream().mapToLong(Long::longValue).toArray(),
                    actionCounts.stream().mapToInt(Integer::intValue).toArray(),
                    progress);
        }
    }

    /**
     * A run's progress from the offsets (since its start) at which its actions ended, in any order:
     * the offset at which it had ended each next {@code 1 / PROGRESS_POINTS} of them, the count of
     * ended actions taken as rising linearly from one end to the next (from 0 at the start); null
     * for a run that ended none.
     */
    public static long[] progressOf(long[] endOffsets) {
        int n = endOffsets.length;
        if (n == 0) {
            return null;
        }
        long[] ends = endOffsets.clone();
        Arrays.sort(ends);
        long[] points = new long[PROGRESS_POINTS];
        for (int i = 1; i <= PROGRESS_POINTS; i++) {
            double c = (double) i * n / PROGRESS_POINTS;
            int whole = (int) Math.floor(c);
            double before = whole == 0 ? 0 : ends[whole - 1];
            double after = whole >= n ? ends[n - 1] : ends[whole];
            points[i - 1] = Math.round(before + (c - whole) * (after - before));
        }
        return points;
    }

    public String workflowType() {
        return workflowType;
    }

    public long binMs() {
        return binMs;
    }

    /** Runs the profile rests on. */
    public int runs() {
        return lengths.length;
    }

    /** The longest run's length: past it a run puts no demand on the pool. */
    public long lengthMs() {
        return lengths.length == 0 ? 0 : lengths[0];
    }

    /** The demand of a run at {@code offsetMs} since its start, over all runs. */
    public Moments at(Resource resource, long offsetMs) {
        return conditional(resource, offsetMs, -1);
    }

    /**
     * The demand at {@code offsetMs} of a run known to be still running at {@code aliveAtMs} (the
     * runs no longer than that are left out; when every run is, the longest alone counts).
     */
    public Moments conditional(Resource resource, long offsetMs, long aliveAtMs) {
        int k = alive(aliveAtMs);
        if (k == 0 || offsetMs < 0) {
            return new Moments(0, 0);
        }
        int b = (int) (offsetMs / binMs);
        if (b >= bins) {
            return new Moments(0, 0);
        }
        int r = resource.ordinal();
        return new Moments(prefix[r][k][b] / k, prefixSquares[r][k][b] / k);
    }

    /**
     * The demand {@code aheadMs} from now of a run still running at age {@code ageMs} that has
     * ended {@code done} actions. Each past run that ended more actions than that (of those, the
     * ones longer than the age where there are any) says where the run is in its own timeline: at
     * its age, but no earlier than when it had ended {@code done} actions and before it had ended
     * one more (from its progress points, the nearest ones outside; by its age alone where it has
     * none); the demand is the mean over them at that place plus {@code aheadMs}. So a run slower
     * than its age says keeps its demand, and one that is further through its actions gives it back
     * early; a run as far as its age says is placed at its age. Where some past runs had ended that
     * many actions at that age, they alone say: they are the runs this one is like, while a run of
     * another size (a type's instances of 52 and of 572 tasks) would place it behind or ahead of
     * where it is. By age alone ({@link #conditional}) when no past run ended more actions than
     * {@code done} (also for a type whose engine reports no actions).
     */
    public Moments progressed(Resource resource, long aheadMs, long ageMs, int done) {
        int longer = 0;
        int more = 0;
        for (int k = 0; k < lengths.length; k++) {
            if (actions[k] > done) {
                more++;
                longer += lengths[k] > ageMs ? 1 : 0;
            }
        }
        if (more == 0 || aheadMs < 0) {
            return conditional(resource, ageMs + aheadMs, ageMs);
        }
        int r = resource.ordinal();
        double sum = 0;
        double squares = 0;
        int onTime = 0; // the runs that place it at its age, and their sums
        double onTimeSum = 0;
        double onTimeSquares = 0;
        for (int k = 0; k < lengths.length; k++) {
            if (actions[k] <= done || (longer > 0 && lengths[k] <= ageMs)) {
                continue;
            }
            double place = bracket(k, done, ageMs);
            int b = (int) ((place + aheadMs) / binMs);
            double v = b < bins ? curves[r][k][b] : 0;
            sum += v;
            squares += v * v;
            if (place == ageMs) {
                onTime++;
                onTimeSum += v;
                onTimeSquares += v * v;
            }
        }
        if (onTime > 0) {
            return new Moments(onTimeSum / onTime, onTimeSquares / onTime);
        }
        int n = longer > 0 ? longer : more;
        return new Moments(sum / n, squares / n);
    }

    /**
     * Where past run {@code k} places a run of age {@code ageMs} that has ended {@code done}
     * actions: at its age if run {@code k} was as far at that age, else the nearest end of the span
     * in which run {@code k} had ended that many actions.
     */
    private double bracket(int k, int done, long ageMs) {
        double from = offsetAt(k, (double) done / actions[k], false);
        double to = offsetAt(k, (double) (done + 1) / actions[k], true);
        return Math.min(Math.max(ageMs, from), Math.max(from, to - 1));
    }

    /**
     * When run {@code k} had ended the share {@code f} of its actions (0 at its start), from its
     * progress points: the last point at or before that share ({@code later}: the first at or after
     * it), so that a run as far as its age says is always placed at its age.
     */
    private double offsetAt(int k, double f, boolean later) {
        long[] points = progress[k];
        if (points == null) {
            return later ? lengths[k] : 0; // its progress is not known: its age alone places it
        }
        double x = f * PROGRESS_POINTS;
        int i = (int) (later ? Math.ceil(x - 1e-9) : Math.floor(x + 1e-9));
        return i <= 0 ? 0 : points[Math.min(i, PROGRESS_POINTS) - 1];
    }

    /**
     * The average demand over offsets in {@code [fromMs, toMs)} of a run (over all runs): what a
     * run arriving at a uniformly random time in an interval puts on the pool at a fixed moment.
     */
    public Moments average(Resource resource, long fromMs, long toMs) {
        long from = Math.max(0, fromMs);
        long to = Math.min(toMs, bins * binMs);
        if (to <= from || lengths.length == 0) {
            return new Moments(0, 0);
        }
        int r = resource.ordinal();
        double mean = integral(cumulativeMean[r], from, to) / (toMs - fromMs);
        double second = integral(cumulativeSecond[r], from, to) / (toMs - fromMs);
        return new Moments(mean, second);
    }

    private double integral(double[] cumulative, long from, long to) {
        return (position(cumulative, to) - position(cumulative, from)) * binMs;
    }

    /** The cumulative sum (in bins) at a fractional bin position. */
    private double position(double[] cumulative, long t) {
        int b = (int) (t / binMs);
        double frac = (double) (t - b * binMs) / binMs;
        if (b >= bins) {
            return cumulative[bins];
        }
        return cumulative[b] + frac * (cumulative[b + 1] - cumulative[b]);
    }

    /** The {@code q} quantile across runs of the demand at {@code offsetMs} (P50, P90). */
    public double quantile(Resource resource, long offsetMs, double q) {
        int b = (int) (offsetMs / binMs);
        if (lengths.length == 0 || b < 0 || b >= bins) {
            return 0;
        }
        double[] values = new double[lengths.length];
        for (int k = 0; k < values.length; k++) {
            values[k] = curves[resource.ordinal()][k][b];
        }
        Arrays.sort(values);
        return values[(int) Math.max(0, Math.ceil(q * values.length) - 1)]; // nearest rank
    }

    private int alive(long aliveAtMs) {
        if (aliveAtMs < 0) {
            return lengths.length;
        }
        // lengths are longest first: count those longer than aliveAtMs
        int lo = 0;
        int hi = lengths.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lengths[mid] > aliveAtMs) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return Math.max(1, lo);
    }
}
