package dev.foreshadow.jobs.shadow.dependencies;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * How ShadowJob learns which workflow types start which ({@code dependencies.*}). Read into {@link
 * DependencySettings}.
 */
public final class DependencyOptions {

    public static final ConfigOption<Duration> LAG_WINDOW =
            key("dependencies.lag-window")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "The longest start-to-start lag told apart (in bins of one minute); a child started later"
                                    + " counts in the last bin, and its parent's run is remembered this long plus the run TTL.");
    public static final ConfigOption<Integer> MIN_TRIGGERS =
            key("dependencies.min-triggers")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "Runs of a child type that its parent type must have started before the pair is published"
                                    + " (to workflow_dependencies and the forecast's cascade).");
    public static final ConfigOption<Duration> PUBLISH_EVERY =
            key("dependencies.publish-every")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "A changed estimate is published at the next multiple of this in event time.");

    private DependencyOptions() {}
}
