package dev.foreshadow.models.forecast;

/** A model fitted to one series at a time, on its history alone (no covariates). */
abstract class LocalModel implements ForecastModel {

    @Override
    public final Forecast forecast(Series series, int origin, int horizon) {
        if (origin < 1 || origin > series.length()) {
            throw new IllegalArgumentException(
                    series.id() + ": origin " + origin + " outside 1.." + series.length());
        }
        return forecast(series.id(), series.history(origin), horizon);
    }

    abstract Forecast forecast(double[] history, int horizon);

    /**
     * The forecast from {@code origin} with the parameters this model last estimated on the series
     * (of the same id), only its states brought up to date, for a caller that re-estimates now and
     * then rather than at every origin; a model without such parameters, or that has not fitted the
     * series yet, forecasts as {@link #forecast(Series, int, int)}.
     */
    final Forecast forecastKeepingParameters(Series series, int origin, int horizon) {
        if (origin < 1 || origin > series.length()) {
            throw new IllegalArgumentException(
                    series.id() + ": origin " + origin + " outside 1.." + series.length());
        }
        return filtered(series.id(), series.history(origin), horizon);
    }

    /**
     * {@code model}'s forecast from {@code origin}, refitted or ({@code refit} false) with the
     * parameters of its last fit of the series where it is a local model that has them.
     */
    static Forecast forecast(
            ForecastModel model, Series series, int origin, int horizon, boolean refit) {
        return !refit && model instanceof LocalModel local
                ? local.forecastKeepingParameters(series, origin, horizon)
                : model.forecast(series, origin, horizon);
    }

    /** See {@link #forecastKeepingParameters}; by default a forecast. */
    Forecast filtered(String seriesId, double[] history, int horizon) {
        return forecast(seriesId, history, horizon);
    }

    /**
     * The forecast of one series, named so that a model that refits may start from its previous fit
     * of the same series; by default the name is ignored.
     */
    Forecast forecast(String seriesId, double[] history, int horizon) {
        return forecast(history, horizon);
    }

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
