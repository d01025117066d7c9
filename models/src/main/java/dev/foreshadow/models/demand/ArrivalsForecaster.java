package dev.foreshadow.models.demand;

/**
 * The one seam between the demand model and the forecasting models of {@code models/forecast}:
 * arrivals of one workflow type per step, forecast from its history. Swapping the forecasting rule
 * (today's backtest selection, a future {@code DeployRule}) means one new implementation of this
 * interface and nothing else.
 */
public interface ArrivalsForecaster {

    /**
     * Forecasts the {@code horizon} steps after {@code history} (runs started per step, oldest
     * first, the last value the most recent complete step), or {@link ArrivalsForecast#none} when
     * there is no history to forecast from.
     */
    ArrivalsForecast forecast(String workflowType, double[] history, int horizon);
}
