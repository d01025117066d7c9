package dev.foreshadow.models.forecast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The seasons a set of series is forecast with, found from the length of their step and confirmed
 * on their data: a step shorter than a day implies a daily season of {@code day / step} steps (an
 * hourly one when a day does not fit twice in the history), and a daily season implies a weekly
 * one; a season is kept when the histories hold two (a week: two) of its cycles and, unless given,
 * when at least half of them pass the 90% autocorrelation test of the M4 benchmarks at its lag (a
 * seasonal lag whose autocorrelation exceeds {@code 1.645 sqrt((1 + 2 sum_{k<m} acf(k)^2) / n)},
 * Bartlett's bound; Makridakis, Spiliotis & Assimakopoulos, IJF 36(1), 2020). A season given on the
 * command line overrides the one found; the seasonal naive baselines of a day and a week are tried
 * whatever the season (when the history holds two cycles of them).
 *
 * <p>Input: the step, the overrides (null: none given), the histories. Output: the {@code season}
 * (1: none), the {@code longSeason} (0: none), the {@code baselines} (the periods of the seasonal
 * naive candidates) and a sentence saying how they were found.
 */
public record Seasons(int season, int longSeason, List<Integer> baselines, String explanation) {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration WEEK = Duration.ofDays(7);

    public Seasons {
        baselines = List.copyOf(baselines);
    }

    /**
     * The seasons of series with steps of {@code step}; {@code season} and {@code longSeason} are
     * overrides, null when not given (a given long season is 0 for none, or a multiple of the
     * season).
     */
    public static Seasons of(
            Duration step, Integer season, Integer longSeason, List<double[]> histories) {
        if (histories.isEmpty()) {
            throw new IllegalArgumentException("no history to find seasons in");
        }
        int shortest = Integer.MAX_VALUE;
        for (double[] h : histories) {
            shortest = Math.min(shortest, h.length);
        }
        int day = steps(step, DAY);
        int week = steps(step, WEEK);
        int hour = steps(step, HOUR);
        List<String> why = new ArrayList<>();
        int m;
        if (season != null) {
            m = season;
            why.add("season " + m + " (given)");
        } else {
            m = 1;
            for (int candidate : new int[] {day, hour}) {
                if (candidate > 1 && 2 * candidate <= shortest) {
                    int confirmed = confirmedIn(histories, candidate);
                    String what = candidate == day ? "a day" : "an hour";
                    if (2 * confirmed >= histories.size()) {
                        m = candidate;
                        why.add(
                                String.format(
                                        Locale.ROOT,
                                        "season %d (%s of %s steps, seasonal in %d of %d series)",
                                        m,
                                        what,
                                        text(step),
                                        confirmed,
                                        histories.size()));
                        break;
                    }
                    why.add(
                            String.format(
                                    Locale.ROOT,
                                    "no season of %d (%s: seasonal in only %d of %d series)",
                                    candidate,
                                    what,
                                    confirmed,
                                    histories.size()));
                }
            }
            if (m == 1 && why.isEmpty()) {
                why.add("no season (the step " + text(step) + " implies none the history holds)");
            }
        }
        int m2 = 0;
        if (longSeason != null) {
            m2 = longSeason;
            why.add(m2 > 0 ? "long season " + m2 + " (given)" : "no long season (given)");
        } else if (m == day && week > 0 && 2 * week <= shortest) {
            int confirmed = confirmedIn(histories, week);
            if (2 * confirmed >= histories.size()) {
                m2 = week;
                why.add(
                        String.format(
                                Locale.ROOT,
                                "long season %d (a week, seasonal in %d of %d series)",
                                m2,
                                confirmed,
                                histories.size()));
            } else {
                why.add(
                        String.format(
                                Locale.ROOT,
                                "no long season (a week: seasonal in only %d of %d series)",
                                confirmed,
                                histories.size()));
            }
        }
        if (m2 > 0 && (m2 <= m || m2 % m != 0)) {
            throw new IllegalArgumentException(
                    "a long season must be a multiple of the season greater than it: " + m2);
        }
        List<Integer> baselines = new ArrayList<>();
        for (int period : new int[] {day, week, m, m2}) {
            if (period > 1 && 2 * period <= shortest && !baselines.contains(period)) {
                baselines.add(period);
            }
        }
        return new Seasons(m, m2, baselines, String.join(", ", why));
    }

    /** Steps of {@code step} in {@code period}, or 0 when they do not divide it or number one. */
    static int steps(Duration step, Duration period) {
        long s = step.toMillis();
        long p = period.toMillis();
        return s > 0 && p % s == 0 && p / s >= 2 && p / s <= Integer.MAX_VALUE ? (int) (p / s) : 0;
    }

    private static int confirmedIn(List<double[]> histories, int m) {
        int count = 0;
        for (double[] h : histories) {
            if (confirmed(h, m)) {
                count++;
            }
        }
        return count;
    }

    /**
     * The M4 seasonality test: |acf(m)| above 1.645 / sqrt(n) * sqrt(1 + 2 sum_{k<m} acf(k)^2), for
     * n >= 3m.
     */
    static boolean confirmed(double[] x, int m) {
        int n = x.length;
        if (m < 2 || n < 3 * m) {
            return false;
        }
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double[] d = new double[n];
        double c0 = 0;
        for (int t = 0; t < n; t++) {
            d[t] = x[t] - mean;
            c0 += d[t] * d[t];
        }
        if (c0 == 0) {
            return false;
        }
        double sumSquares = 0;
        double acfM = 0;
        for (int k = 1; k <= m; k++) {
            double ck = 0;
            for (int t = k; t < n; t++) {
                ck += d[t] * d[t - k];
            }
            double acf = ck / c0;
            if (k < m) {
                sumSquares += acf * acf;
            } else {
                acfM = acf;
            }
        }
        double limit = 1.645 / Math.sqrt(n) * Math.sqrt(1 + 2 * sumSquares);
        return Math.abs(acfM) > limit;
    }

    private static String text(Duration step) {
        return step.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
