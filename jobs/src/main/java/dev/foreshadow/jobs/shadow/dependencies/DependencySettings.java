package dev.foreshadow.jobs.shadow.dependencies;

import static dev.foreshadow.jobs.shadow.dependencies.DependencyOptions.*;

import dev.foreshadow.connectors.config.Options;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/** The typed settings of the dependency statistics, read once from {@link DependencyOptions}. */
public record DependencySettings(Duration lagWindow, int minTriggers, Duration publishEvery)
        implements Serializable {

    /** Lags are told apart by the minute. */
    public static final long BIN_MS = 60_000;

    public static DependencySettings from(Configuration c) {
        Duration window = Options.positive(c, LAG_WINDOW);
        if (window.toMillis() < BIN_MS) {
            throw new IllegalArgumentException(
                    LAG_WINDOW.key() + " must be at least one minute, got " + window);
        }
        int min = c.get(MIN_TRIGGERS);
        if (min < 1) {
            throw new IllegalArgumentException(MIN_TRIGGERS.key() + " must be >= 1, got " + min);
        }
        return new DependencySettings(window, min, Options.positive(c, PUBLISH_EVERY));
    }
}
