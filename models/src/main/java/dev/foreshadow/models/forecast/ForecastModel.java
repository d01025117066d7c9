package dev.foreshadow.models.forecast;

/**
 * Something that forecasts a series from a given origin: it may use values before {@code origin}
 * only.
 */
public interface ForecastModel {

    /** A short stable name, used in reports and in the model registry. */
    String name();

    /**
     * Forecasts {@code series.values()[origin .. origin + horizon)} from the values before {@code
     * origin}.
     */
    Forecast forecast(Series series, int origin, int horizon);
}
