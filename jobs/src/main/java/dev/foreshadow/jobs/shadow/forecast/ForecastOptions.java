package dev.foreshadow.jobs.shadow.forecast;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * How ShadowJob forecasts each workflow type's arrivals ({@code forecast.*}). Read into {@link
 * ForecastSettings}.
 */
public final class ForecastOptions {

    public static final ConfigOption<Duration> BUCKET =
            key("forecast.bucket")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "The forecast's step, in event time: each workflow type is forecast once per bucket, from its"
                                    + " arrivals per bucket. Divides an hour.");
    public static final ConfigOption<Duration> HORIZON =
            key("forecast.horizon")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "How far ahead each forecast reaches (a multiple of forecast.bucket); at least a pool's lead"
                                    + " time plus one bucket, so the planner can size its floors.");
    public static final ConfigOption<Duration> REFIT_EVERY =
            key("forecast.refit-every")
                    .durationType()
                    .defaultValue(Duration.ofHours(6))
                    .withDescription(
                            "How often, in event time, a workflow type's model parameters (exponential smoothing's) are"
                                    + " estimated again; the forecasts in between keep them and only bring the model's states up"
                                    + " to date. A multiple of forecast.bucket; forecast.bucket itself refits at every forecast,"
                                    + " as eval allocation does.");
    public static final ConfigOption<Duration> CHOOSE_EVERY =
            key("forecast.choose-every")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription(
                            "How often, in event time, a workflow type's model is chosen again by the backtest (a"
                                    + " multiple of forecast.bucket; sooner while the type's history is young: each time it"
                                    + " has doubled). forecast.bucket chooses every season of new history, as eval allocation"
                                    + " does.");
    public static final ConfigOption<Duration> REGISTRY_POLL =
            key("forecast.registry-poll")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "How often (processing time) each forecasting subtask reads the newest model versions from the"
                                    + " models table: a version registered by train is used from then on, without a restart.");
    public static final ConfigOption<Double> RETRAIN_MASE =
            key("forecast.retrain-mase")
                    .doubleType()
                    .defaultValue(2.0)
                    .withDescription(
                            "A workflow type whose smoothed MASE (forecasts scored against the arrivals) is above this is"
                                    + " marked for retraining (forecasts.retrain).");

    private ForecastOptions() {}
}
