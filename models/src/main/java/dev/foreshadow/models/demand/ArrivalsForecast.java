package dev.foreshadow.models.demand;

import java.util.Arrays;

/**
 * Runs forecast per step: the median and the 10% and 90% quantiles, the model that made them and
 * why that one ("combo3: 3 candidates beat the best simple baseline ...", "seasonal naive: too
 * little history ...", "prior from 3 similar types", ...).
 */
public record ArrivalsForecast(double[] p10, double[] p50, double[] p90, String model, String why) {

    public ArrivalsForecast {
        if (p10.length != p50.length || p90.length != p50.length) {
            throw new IllegalArgumentException("quantile arrays differ in length");
        }
    }

    /** No forecast: the type has no history. */
    public static ArrivalsForecast none(int horizon, String why) {
        return new ArrivalsForecast(
                new double[horizon], new double[horizon], new double[horizon], "none", why);
    }

    public boolean available() {
        return !model.equals("none");
    }

    public int horizon() {
        return p50.length;
    }

    /** The expected count of step {@code h}: the median, never below 0. */
    public double mean(int h) {
        return Math.max(0, p50[h]);
    }

    /**
     * The variance of step {@code h}'s count: from the 80% interval read as normal, and at least
     * the mean (a count is at least as variable as a Poisson one).
     */
    public double variance(int h) {
        double sd = Math.max(0, p90[h] - p10[h]) / (2 * 1.2815515655446004);
        return Math.max(sd * sd, mean(h));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrivalsForecast f
                && Arrays.equals(p10, f.p10)
                && Arrays.equals(p50, f.p50)
                && Arrays.equals(p90, f.p90)
                && model.equals(f.model)
                && why.equals(f.why);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(p50) * 31 + model.hashCode();
    }
}
