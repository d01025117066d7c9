package dev.foreshadow.jobs.common;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.foreshadow.connectors.config.Options;
import dev.foreshadow.connectors.history.HistoryOptions;
import dev.foreshadow.connectors.json.InputOptions;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * What every job of foreshadow shares: event time, validation of input times, key groups; with
 * {@link InputOptions} (which every job lists too), the limits of its input records.
 */
public final class JobOptions {

    public static final ConfigOption<Duration> MAX_CLOCK_SKEW =
            key("validation.max-clock-skew")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "Events further than this in the future are rejected (they would push the watermark ahead).");
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            key("watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "How late an event may arrive and still count in per-minute statistics.");
    public static final ConfigOption<Duration> IDLENESS =
            key("watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "A partition silent this long stops holding back the watermark.");
    public static final ConfigOption<Integer> MAX_PARALLELISM =
            key("job.max-parallelism")
                    .intType()
                    .defaultValue(128)
                    .withDescription(
                            "Max parallelism (key groups); fixed for the life of the job's savepoints.");

    private JobOptions() {}

    public static JobSettings settings(Configuration c) {
        return new JobSettings(
                Options.atLeast(c, MAX_PARALLELISM, 1),
                c.get(OUT_OF_ORDERNESS),
                Options.positive(c, IDLENESS),
                c.get(MAX_CLOCK_SKEW),
                InputOptions.limits(c, c.get(HistoryOptions.HISTORY_RETENTION)));
    }
}
