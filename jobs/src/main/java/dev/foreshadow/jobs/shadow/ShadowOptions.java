package dev.foreshadow.jobs.shadow;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/** The settings of the Shadow operator itself ({@code shadow.*}): when a run is over. */
public final class ShadowOptions {

    public static final ConfigOption<Duration> RUN_TTL =
            key("shadow.run-ttl")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "Event time without any event after which a run is recorded as ABANDONED and its state cleared.");
    public static final ConfigOption<Duration> COMPLETION_GRACE =
            key("shadow.completion-grace")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "Event time a finished run waits for its stragglers (actions reported after the run ended).");

    private ShadowOptions() {}
}
