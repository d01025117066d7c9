package dev.foreshadow.models.forecast;

/** A model fitted to one series at a time, on its history alone (no covariates). */
abstract class LocalModel implements ForecastModel {

    @Override
    public final Forecast forecast(Series series, int origin, int horizon) {
        if (origin < 1 || origin > series.length()) {
            throw new IllegalArgumentException(
                    series.id() + ": origin " + origin + " outside 1.." + series.length());
        }
        return forecast(series.history(origin), horizon);
    }

    abstract Forecast forecast(double[] history, int horizon);

    static boolean positive(double[] values) {
        for (double v : values) {
            if (!(v > 0)) {
                return false;
            }
        }
        return true;
    }

    static double sd(double sumOfSquares, int count) {
        return count > 1 ? Math.sqrt(sumOfSquares / (count - 1)) : 0;
    }
}
