package dev.foreshadow.models.metrics;

/**
 * Point and interval accuracy measures of one forecast against its actuals, as defined for the M4
 * competition (Makridakis, Spiliotis & Assimakopoulos, "The M4 Competition: 100,000 time series and
 * 61 forecasting methods", IJF 36(1), 2020): sMAPE in percent, MASE scaled by the in-sample
 * seasonal naive error, OWA relative to Naive2; plus the pinball (quantile) loss and the empirical
 * coverage of a central interval.
 */
public final class Accuracy {

    private Accuracy() {}

    /**
     * Symmetric MAPE in percent: mean of 200 |y - f| / (|y| + |f|); a step where both are 0 counts
     * as 0.
     */
    public static double smape(double[] actual, double[] forecast) {
        check(actual, forecast);
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double denominator = Math.abs(actual[i]) + Math.abs(forecast[i]);
            sum += denominator == 0 ? 0 : 200 * Math.abs(actual[i] - forecast[i]) / denominator;
        }
        return sum / actual.length;
    }

    /**
     * The MASE scale: mean absolute seasonal difference {@code |y[t] - y[t-m]|} of the history; M4
     * uses m = 24 for Hourly. Falls back to lag 1 when the history is shorter than a season plus
     * one; never returns 0 (a flat history gives 1e-9 scaled errors instead of infinity only when
     * the forecast errs, see {@link #mase}).
     */
    public static double maseScale(double[] history, int season) {
        int lag = history.length > season ? season : 1;
        double sum = 0;
        int count = 0;
        for (int t = lag; t < history.length; t++) {
            sum += Math.abs(history[t] - history[t - lag]);
            count++;
        }
        return count == 0 ? 0 : sum / count;
    }

    /**
     * Mean absolute error scaled by {@code scale} (from {@link #maseScale}); a zero scale gives the
     * plain MAE.
     */
    public static double mase(double[] actual, double[] forecast, double scale) {
        check(actual, forecast);
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs(actual[i] - forecast[i]);
        }
        double mae = sum / actual.length;
        return scale > 0 ? mae / scale : mae;
    }

    /**
     * Overall weighted average (M4): the mean of sMAPE and MASE, each relative to Naive2 over the
     * same series.
     */
    public static double owa(double smape, double mase, double naive2Smape, double naive2Mase) {
        return 0.5 * (smape / naive2Smape + mase / naive2Mase);
    }

    /**
     * Mean pinball loss of quantile {@code tau}: tau (y - q) when y >= q, else (1 - tau) (q - y).
     */
    public static double pinball(double[] actual, double[] quantile, double tau) {
        check(actual, quantile);
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double diff = actual[i] - quantile[i];
            sum += diff >= 0 ? tau * diff : (tau - 1) * diff;
        }
        return sum / actual.length;
    }

    /** Share of actuals inside [lower, upper], both ends included. */
    public static double coverage(double[] actual, double[] lower, double[] upper) {
        check(actual, lower);
        check(actual, upper);
        int inside = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] >= lower[i] && actual[i] <= upper[i]) {
                inside++;
            }
        }
        return (double) inside / actual.length;
    }

    private static void check(double[] actual, double[] other) {
        if (actual.length != other.length || actual.length == 0) {
            throw new IllegalArgumentException(
                    "actual and forecast must have the same, non-zero length: "
                            + actual.length
                            + " vs "
                            + other.length);
        }
    }
}
