package dev.foreshadow.models.forecast;

import dev.foreshadow.models.metrics.Accuracy;

/**
 * Rolling-origin evaluation (Tashman, "Out-of-sample tests of forecasting accuracy", IJF 16(4),
 * 2000): the model is refitted at each of {@code folds} origins spaced one horizon apart, ending
 * {@code end} values before the series ends, and scored on the following {@code horizon} values,
 * which it never saw.
 */
public final class Backtest {

    private Backtest() {}

    /**
     * The origins of {@code folds} folds, the last one at {@code length - end - horizon}, oldest
     * first.
     */
    public static int[] origins(int length, int folds, int horizon, int end) {
        int[] origins = new int[folds];
        for (int k = 0; k < folds; k++) {
            origins[k] = length - end - (folds - k) * horizon;
        }
        if (origins[0] < 1) {
            throw new IllegalArgumentException(
                    "a series of "
                            + length
                            + " values cannot hold "
                            + folds
                            + " folds of "
                            + horizon);
        }
        return origins;
    }

    /** The mean of each measure over {@code scores}, which must not be empty. */
    public static Score mean(Score[] scores) {
        double[] sum = new double[4];
        for (Score s : scores) {
            sum[0] += s.smape();
            sum[1] += s.mase();
            sum[2] += s.coverage();
            sum[3] += s.pinball();
        }
        int n = scores.length;
        return new Score(sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n);
    }

    /**
     * Accuracy of one forecast: sMAPE, MASE (scaled by the history's seasonal naive error),
     * coverage, pinball.
     */
    public record Score(double smape, double mase, double coverage, double pinball) {

        public static Score of(Series series, int origin, Forecast forecast, int season) {
            double[] actual = series.actuals(origin, forecast.horizon());
            double scale = Accuracy.maseScale(series.history(origin), season);
            double pinball =
                    (Accuracy.pinball(actual, forecast.p10(), 0.1)
                                    + Accuracy.pinball(actual, forecast.p50(), 0.5)
                                    + Accuracy.pinball(actual, forecast.p90(), 0.9))
                            / 3
                            / (scale > 0 ? scale : 1);
            return new Score(
                    Accuracy.smape(actual, forecast.p50()),
                    Accuracy.mase(actual, forecast.p50(), scale),
                    Accuracy.coverage(actual, forecast.p10(), forecast.p90()),
                    pinball);
        }
    }
}
