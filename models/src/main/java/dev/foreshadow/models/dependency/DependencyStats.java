package dev.foreshadow.models.dependency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Learns which workflow types start which, for the dependency cascade.
 *
 * <p>Where the engine reports {@code triggeredBy}, directly: P(B | A) is the share of A's runs that
 * started a run of B, and the lag distribution is the histogram of their start-to-start lags.
 *
 * <p>Where it does not, from start times alone, by a cross-correlogram tested against a shift
 * predictor (Perkel, Gerstein and Moore, "Neuronal spike trains and stochastic point processes II:
 * simultaneous spike trains", Biophysical Journal 7(4), 1967). For every start of A, the starts of
 * B in the window after it ({@code (bin, WINDOW]}: a lag under one bin cannot be told from two
 * types that merely start together) are counted against what B's local rate predicts, a quarter of
 * B's starts in a window four times as long centred on it (so that B's trend or daily cycle does
 * not count). The same excess is computed with A's starts shifted circularly by {@link #SHIFTS}
 * offsets of several windows, where no trigger can reach: that is the excess chance and shared
 * rhythms give, with its spread (the windows of many starts overlap, so counts are not independent
 * and a Poisson spread would be far too small). Only an excess above every shifted one and {@link
 * #MIN_Z} of their standard deviations above their mean, of at least {@link #MIN_EXCESS} runs and
 * at most one run of B per run of A, counts; P(B | A) is that excess per run of A and the lag
 * distribution the excess per lag bin beyond two shifted standard deviations.
 */
public final class DependencyStats {

    /** The lag window searched after each start. */
    public static final long WINDOW_MS = 3600_000;

    public static final long BIN_MS = 60_000;

    /**
     * Shifted standard deviations an excess must clear: the spread rests on 16 shifted copies and
     * is itself uncertain, and every ordered pair of types is tested (at 4, the development part of
     * the Azure trace gave 2 of its 90 pairs).
     */
    static final double MIN_Z = 6;

    static final int MIN_EXCESS = 10;

    /** Shifts of the null distribution, in windows: +-2 .. +-9. */
    static final int SHIFTS = 8;

    /**
     * Per lag bin, the share of a run triggered at that lag that shows as excess: the rest is
     * absorbed by the baseline, which spreads its hour's count (the run included) over the window.
     * Averaged over the parent's phase within its hour.
     */
    static final double[] KEPT = kept();

    private static double[] kept() {
        int bins = (int) (WINDOW_MS / BIN_MS);
        double[] out = new double[bins];
        int phases = 600;
        for (int k = 0; k < bins; k++) {
            double lag = (k + 0.5) * BIN_MS;
            double sum = 0;
            for (int i = 0; i < phases; i++) {
                double t = (i + 0.5) * WINDOW_MS / phases;
                double hour = Math.floor((t + lag) / WINDOW_MS) * WINDOW_MS;
                double overlap =
                        Math.max(
                                0,
                                Math.min(t + WINDOW_MS, hour + WINDOW_MS)
                                        - Math.max(t + BIN_MS, hour));
                sum += 1 - overlap / WINDOW_MS;
            }
            out[k] = sum / phases;
        }
        return out;
    }

    private DependencyStats() {}

    /** A run of {@code child} that the engine reports as started by a run of {@code parent}. */
    public record Trigger(String parent, long parentStartMs, String child, long childStartMs) {}

    /** From {@code triggeredBy}: {@code runsByType} counts every run of each type. */
    public static List<Dependency> fromTriggers(
            List<Trigger> triggers, Map<String, Long> runsByType) {
        Map<String, List<Long>> lags = new TreeMap<>();
        for (Trigger t : triggers) {
            lags.computeIfAbsent(t.parent() + "\u0000" + t.child(), k -> new ArrayList<>())
                    .add(Math.max(0, t.childStartMs() - t.parentStartMs()));
        }
        List<Dependency> out = new ArrayList<>();
        for (Map.Entry<String, List<Long>> e : lags.entrySet()) {
            String[] pair = e.getKey().split("\u0000", 2);
            long parentRuns = runsByType.getOrDefault(pair[0], 0L);
            if (parentRuns == 0) {
                continue;
            }
            long longest = e.getValue().stream().mapToLong(Long::longValue).max().orElse(0);
            double[] weights = new double[(int) (longest / BIN_MS) + 1];
            for (long lag : e.getValue()) {
                weights[(int) (lag / BIN_MS)] += 1.0 / e.getValue().size();
            }
            out.add(
                    new Dependency(
                            pair[0],
                            pair[1],
                            Math.min(1, (double) e.getValue().size() / parentRuns),
                            BIN_MS,
                            weights,
                            parentRuns,
                            "triggeredBy, " + e.getValue().size() + " runs"));
        }
        return out;
    }

    /**
     * From start times alone ({@code startsByType}: each type's run starts, sorted), the
     * dependencies whose excess after the parent's starts is significant against the shifts.
     */
    public static List<Dependency> fromStarts(Map<String, long[]> startsByType) {
        List<Dependency> out = new ArrayList<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (long[] s : startsByType.values()) {
            if (s.length > 0) {
                first = Math.min(first, s[0]);
                last = Math.max(last, s[s.length - 1]);
            }
        }
        long span = last - first + 1;
        if (span < (SHIFTS + 4) * WINDOW_MS) {
            return out; // too short to shift every start out of a trigger's reach and back
        }
        int bins = (int) (WINDOW_MS / BIN_MS);
        for (Map.Entry<String, long[]> a : startsByType.entrySet()) {
            for (Map.Entry<String, long[]> b : startsByType.entrySet()) {
                long[] parent = a.getValue();
                long[] child = b.getValue();
                if (a.getKey().equals(b.getKey()) || parent.length == 0 || child.length == 0) {
                    continue;
                }
                double[] real = excess(parent, child, 0, first, span, bins);
                double[][] shifted = new double[2 * SHIFTS][];
                for (int i = 0; i < SHIFTS; i++) {
                    long s = (i + 2) * WINDOW_MS;
                    shifted[2 * i] = excess(parent, child, s, first, span, bins);
                    shifted[2 * i + 1] = excess(parent, child, -s, first, span, bins);
                }
                double[] nullTotal = new double[shifted.length];
                for (int i = 0; i < shifted.length; i++) {
                    nullTotal[i] = shifted[i][bins];
                }
                double mean = Arrays.stream(nullTotal).average().orElse(0);
                double sd = sd(nullTotal, mean);
                double max = Arrays.stream(nullTotal).max().orElse(0);
                double excess = real[bins] - mean;
                double z = excess / Math.max(1, sd);
                if (z < MIN_Z || real[bins] <= max || excess < MIN_EXCESS) {
                    continue;
                }
                double[] weights = new double[bins];
                double total = 0;
                for (int k = 1; k < bins; k++) {
                    double[] column = new double[shifted.length];
                    for (int i = 0; i < shifted.length; i++) {
                        column[i] = shifted[i][k];
                    }
                    double m = Arrays.stream(column).average().orElse(0);
                    weights[k] = Math.max(0, real[k] - m - 2 * sd(column, m));
                    total += weights[k];
                }
                if (total == 0) {
                    continue;
                }
                double kept = 0;
                for (int k = 0; k < bins; k++) {
                    weights[k] /= total;
                    kept += weights[k] * KEPT[k];
                }
                // a triggered run is also in its hour's count, which the baseline spreads back
                // over the window: only the share KEPT of each one shows as excess
                double probability = excess / kept / parent.length;
                if (probability > 1) {
                    continue; // more than one extra child per parent: not a trigger
                }
                out.add(
                        new Dependency(
                                a.getKey(),
                                b.getKey(),
                                probability,
                                BIN_MS,
                                weights,
                                parent.length,
                                String.format(
                                        "start-time association: %.0f more starts within %d min"
                                                + " than B's local rate predicts, against %.0f"
                                                + " +- %.0f with the starts shifted (z=%.1f)",
                                        real[bins], WINDOW_MS / 60_000, mean, sd, z)));
            }
        }
        return out;
    }

    /**
     * Per lag bin {@code k} in {@code 1 .. bins-1} the starts of the child at lags {@code [k bin,
     * (k+1) bin)} after each parent start (shifted circularly by {@code shift} within the span)
     * minus what the child's rate in its hour predicts for that bin; index {@code bins} holds the
     * sum.
     */
    private static double[] excess(
            long[] parent, long[] child, long shift, long first, long span, int bins) {
        double[] out = new double[bins + 1];
        double[] perHour = new double[(int) (span / WINDOW_MS) + 2];
        for (long c : child) {
            perHour[(int) ((c - first) / WINDOW_MS)]++;
        }
        long[] starts = new long[parent.length];
        for (int i = 0; i < parent.length; i++) {
            starts[i] = first + Math.floorMod(parent[i] - first + shift, span);
        }
        Arrays.sort(starts);
        int lo = 0;
        for (long t : starts) {
            while (lo < child.length && child[lo] < t + BIN_MS) {
                lo++;
            }
            for (int j = lo; j < child.length && child[j] < t + WINDOW_MS; j++) {
                out[(int) ((child[j] - t) / BIN_MS)]++;
            }
            for (int k = 1; k < bins; k++) {
                out[k] -= expected(perHour, first, t + k * BIN_MS, t + (k + 1) * BIN_MS);
            }
        }
        for (int k = 1; k < bins; k++) {
            out[bins] += out[k];
        }
        return out;
    }

    /** The child's starts expected in {@code [x, y)} from its count in each hour it covers. */
    private static double expected(double[] perHour, long first, long x, long y) {
        double sum = 0;
        for (long h = (x - first) / WINDOW_MS; first + h * WINDOW_MS < y; h++) {
            if (h >= perHour.length) {
                break;
            }
            long a = Math.max(x, first + h * WINDOW_MS);
            long b = Math.min(y, first + (h + 1) * WINDOW_MS);
            sum += perHour[(int) h] * (b - a) / WINDOW_MS;
        }
        return sum;
    }

    private static double sd(double[] values, double mean) {
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return values.length > 1 ? Math.sqrt(sum / (values.length - 1)) : 0;
    }
}
