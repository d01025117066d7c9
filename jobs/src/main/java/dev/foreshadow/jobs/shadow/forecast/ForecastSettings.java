package dev.foreshadow.jobs.shadow.forecast;

import static dev.foreshadow.jobs.shadow.forecast.ForecastOptions.*;

import dev.foreshadow.connectors.config.Options;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** The typed settings of the Forecast operator, read once from {@link ForecastOptions}. */
public record ForecastSettings(
        Duration bucket,
        Duration horizon,
        Duration refitEvery,
        Duration chooseEvery,
        Duration registryPoll,
        double retrainMase)
        implements Serializable {

    public static ForecastSettings from(Configuration c) {
        Duration bucket = Options.positive(c, BUCKET);
        if (Duration.ofHours(1).toMillis() % bucket.toMillis() != 0) {
            throw new IllegalArgumentException(
                    BUCKET.key() + " must divide an hour, got " + bucket);
        }
        Duration horizon = multipleOfBucket(c, HORIZON, bucket);
        Duration refit = multipleOfBucket(c, REFIT_EVERY, bucket);
        Duration choose = multipleOfBucket(c, CHOOSE_EVERY, bucket);
        double retrain = c.get(RETRAIN_MASE);
        if (!(retrain > 0)) {
            throw new IllegalArgumentException(RETRAIN_MASE.key() + " must be > 0, got " + retrain);
        }
        return new ForecastSettings(
                bucket, horizon, refit, choose, Options.positive(c, REGISTRY_POLL), retrain);
    }

    private static Duration multipleOfBucket(
            Configuration c, ConfigOption<Duration> option, Duration bucket) {
        Duration d = Options.positive(c, option);
        if (d.toMillis() % bucket.toMillis() != 0) {
            throw new IllegalArgumentException(
                    option.key()
                            + " must be a multiple of "
                            + BUCKET.key()
                            + " ("
                            + bucket
                            + "), got "
                            + d);
        }
        return d;
    }

    /** Forecasts of a type per estimation of its model's parameters. */
    public int refitSteps() {
        return (int) (refitEvery.toMillis() / bucket.toMillis());
    }

    /** New steps of a type's history per choice of its model. */
    public int chooseSteps() {
        return (int) (chooseEvery.toMillis() / bucket.toMillis());
    }

    /** Steps per forecast. */
    public int steps() {
        return (int) (horizon.toMillis() / bucket.toMillis());
    }
}
