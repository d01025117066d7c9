package dev.foreshadow.models.forecast;

/**
 * Seasonal median: every step is the median of the same phase in the last {@link #CYCLES} seasons
 * of the history (as many as it holds, at least one), a seasonal naive forecast made robust to the
 * noise and the bursts of any one cycle; the median is the point forecast that minimises absolute
 * error, which MASE measures (a robust relative of the seasonal naive and seasonal mean benchmarks,
 * Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., section 5.2). The 80%
 * interval comes from the 10% and 90% quantiles of the in-sample errors of the same rule one season
 * ahead over the last {@link #ERROR_CYCLES} seasons, widening with the square root of the number of
 * seasons looked back, as the seasonal naive interval does (ibid., section 5.5).
 */
final class SeasonalMedian extends LocalModel {

    /** Seasons whose same phase is taken. */
    static final int CYCLES = 5;

    /** Seasons of in-sample errors the interval is taken from. */
    static final int ERROR_CYCLES = 20;

    private final int season;

    SeasonalMedian(int season) {
        if (season < 2) {
            throw new IllegalArgumentException("a seasonal median needs a season of 2 or more");
        }
        this.season = season;
    }

    @Override
    public String name() {
        return "smedian" + season;
    }

    @Override
    Forecast forecast(double[] history, int horizon) {
        int n = history.length;
        int m = Math.min(season, n);
        double[] p50 = new double[horizon];
        double[] cycle = new double[CYCLES];
        for (int h = 0; h < horizon; h++) {
            p50[h] = median(history, n + h, m, h / m + 1, cycle);
        }
        // in-sample errors of the one-season-ahead median, recent seasons only
        int from = Math.max(m, n - ERROR_CYCLES * m);
        double[] errors = new double[n - from];
        for (int t = from; t < n; t++) {
            errors[t - from] = history[t] - median(history, t, m, 1, cycle);
        }
        double low = 0;
        double high = 0;
        if (errors.length > 0) {
            low = quantile(errors, 0.1);
            high = quantile(errors, 0.9);
        }
        double[] p10 = new double[horizon];
        double[] p90 = new double[horizon];
        for (int h = 0; h < horizon; h++) {
            double widen = Math.sqrt(h / m + 1);
            p10[h] = Math.min(p50[h], p50[h] + low * widen);
            p90[h] = Math.max(p50[h], p50[h] + high * widen);
        }
        return new Forecast(p10, p50, p90);
    }

    /**
     * The median of {@code y[t - m k]} for the {@link #CYCLES} values of k from {@code first} that
     * fall inside {@code y}, sorted into {@code v} (as many as {@link #CYCLES}) as they are found.
     */
    private static double median(double[] y, int t, int m, int first, double[] v) {
        int count = 0;
        for (int k = first; k < first + CYCLES; k++) {
            int i = t - m * k;
            if (i >= 0 && i < y.length) {
                double x = y[i];
                int j = count++;
                while (j > 0 && v[j - 1] > x) {
                    v[j] = v[j - 1];
                    j--;
                }
                v[j] = x;
            }
        }
        if (count == 0) {
            return y[y.length - 1];
        }
        return count % 2 == 1 ? v[count / 2] : 0.5 * (v[count / 2 - 1] + v[count / 2]);
    }

    /**
     * Linear interpolation between order statistics of {@code values} (as of sorted values), found
     * by selection rather than a sort; reorders {@code values}.
     */
    static double quantile(double[] values, double q) {
        double position = q * (values.length - 1);
        int lower = (int) Math.floor(position);
        select(values, lower);
        double below = values[lower];
        double above = below;
        if (lower + 1 < values.length) {
            // the next order statistic: the smallest of those at or above it
            above = values[lower + 1];
            for (int i = lower + 2; i < values.length; i++) {
                above = Math.min(above, values[i]);
            }
        }
        return below + (position - lower) * (above - below);
    }

    /**
     * Puts the k-th smallest of {@code a} (from 0) at {@code a[k]}, none larger before it and none
     * smaller after it (Hoare's FIND, CACM 4(7), 1961, with a median-of-three pivot).
     */
    private static void select(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < a[lo]) {
                swap(a, lo, mid);
            }
            if (a[hi] < a[lo]) {
                swap(a, lo, hi);
            }
            if (a[hi] < a[mid]) {
                swap(a, mid, hi);
            }
            double pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            // a[lo..j] <= pivot <= a[i..hi], and everything between equals the pivot
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
