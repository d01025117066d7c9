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
 * <p>Where it does not, from start times alone, by a cross-correlogram against a chance baseline
 * (Perkel, Gerstein and Moore, "Neuronal spike trains and stochastic point processes II:
 * simultaneous spike trains", Biophysical Journal 7(4), 1967): for every start of A, the starts of
 * B in the window after it are counted against those in the window of the same length before it.
 * Runs of B that merely coincide with A (the same daily cycle, the same busy hours) are as likely
 * before A as after it, so only the excess after counts, and only when it is significant (at least
 * {@link #MIN_Z} standard deviations of the Poisson difference and {@link #MIN_EXCESS} runs); P(B |
 * A) is that excess per run of A, and the lag distribution the excess per lag bin beyond two
 * standard deviations of that bin's noise.
 */
public final class DependencyStats {

    /** The lag window searched after (and, for the baseline, before) each start. */
    public static final long WINDOW_MS = 3600_000;

    public static final long BIN_MS = 60_000;

    static final double MIN_Z = 4;
    static final int MIN_EXCESS = 10;

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
     * dependencies whose excess after the parent's starts is significant.
     */
    public static List<Dependency> fromStarts(Map<String, long[]> startsByType) {
        List<Dependency> out = new ArrayList<>();
        int bins = (int) (WINDOW_MS / BIN_MS);
        for (Map.Entry<String, long[]> a : startsByType.entrySet()) {
            for (Map.Entry<String, long[]> b : startsByType.entrySet()) {
                if (a.getKey().equals(b.getKey()) || a.getValue().length == 0) {
                    continue;
                }
                long[] after = new long[bins];
                long[] before = new long[bins];
                long[] child = b.getValue();
                int lo = 0;
                for (long t : a.getValue()) {
                    while (lo < child.length && child[lo] < t - WINDOW_MS) {
                        lo++;
                    }
                    for (int j = lo; j < child.length && child[j] <= t + WINDOW_MS; j++) {
                        long lag = child[j] - t;
                        if (lag > 0 && lag <= WINDOW_MS) {
                            after[(int) Math.min(bins - 1, (lag - 1) / BIN_MS)]++;
                        } else if (lag < 0 && lag >= -WINDOW_MS) {
                            before[(int) Math.min(bins - 1, (-lag - 1) / BIN_MS)]++;
                        }
                    }
                }
                long sumAfter = Arrays.stream(after).sum();
                long sumBefore = Arrays.stream(before).sum();
                long excess = sumAfter - sumBefore;
                double z = excess / Math.sqrt(Math.max(1, sumAfter + sumBefore));
                if (z < MIN_Z || excess < MIN_EXCESS) {
                    continue;
                }
                double[] weights = new double[bins];
                double total = 0;
                for (int i = 0; i < bins; i++) {
                    // a bin's excess beyond two standard deviations of its noise
                    double noise = 2 * Math.sqrt(after[i] + before[i]);
                    weights[i] = Math.max(0, after[i] - before[i] - noise);
                    total += weights[i];
                }
                if (total == 0) {
                    continue;
                }
                for (int i = 0; i < bins; i++) {
                    weights[i] /= total;
                }
                long parentRuns = a.getValue().length;
                out.add(
                        new Dependency(
                                a.getKey(),
                                b.getKey(),
                                Math.min(1, (double) excess / parentRuns),
                                BIN_MS,
                                weights,
                                parentRuns,
                                String.format(
                                        "start-time association: %d starts after against %d"
                                                + " before within %d min, z=%.1f",
                                        sumAfter, sumBefore, WINDOW_MS / 60_000, z)));
            }
        }
        return out;
    }
}
