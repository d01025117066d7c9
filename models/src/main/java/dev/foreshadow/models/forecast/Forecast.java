package dev.foreshadow.models.forecast;

/**
 * A forecast of {@code horizon} steps: the median (the point forecast) and the 10% and 90%
 * quantiles, so that [p10, p90] is a central 80% interval. Arrays are owned by the record; callers
 * must not modify them.
 */
public record Forecast(double[] p10, double[] p50, double[] p90) {

    public Forecast {
        if (p10.length != p50.length || p90.length != p50.length) {
            throw new IllegalArgumentException("quantile arrays differ in length");
        }
    }

    public int horizon() {
        return p50.length;
    }

    /** A forecast whose interval is {@code p50 -/+ z * sd[h]}, z the 90% normal quantile. */
    static Forecast normal(double[] p50, double[] sd) {
        double z = 1.2815515655446004;
        double[] lo = new double[p50.length];
        double[] hi = new double[p50.length];
        for (int h = 0; h < p50.length; h++) {
            lo[h] = p50[h] - z * sd[h];
            hi[h] = p50[h] + z * sd[h];
        }
        return new Forecast(lo, p50, hi);
    }

    /**
     * The same forecast with every quantile raised to at least 0: arrivals (and any history that
     * never went below 0) cannot be negative.
     */
    Forecast nonNegative() {
        return new Forecast(atLeastZero(p10), atLeastZero(p50), atLeastZero(p90));
    }

    private static double[] atLeastZero(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.max(0, values[i]);
        }
        return out;
    }

    /**
     * Applies {@code Math.exp} to every quantile (a forecast made on the log scale; quantiles map
     * through).
     */
    Forecast exp() {
        return new Forecast(map(p10), map(p50), map(p90));
    }

    private static double[] map(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.exp(values[i]);
        }
        return out;
    }
}
