package dev.foreshadow.connectors.json;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.foreshadow.connectors.config.Options;
import dev.foreshadow.models.domain.Metric;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;

/**
 * How large, how deep and how plausible an input record may be ({@code validation.*}): the {@link
 * InputLimits} of every decoder, in one place.
 */
public final class InputOptions {

    public static final ConfigOption<MemorySize> MAX_EVENT_BYTES =
            key("validation.max-event-bytes")
                    .memoryType()
                    .defaultValue(MemorySize.parse("1 mb"))
                    .withDescription(
                            "The largest input record (a workflow event, an OTLP export, a signed external event, a command); a larger one is dead-lettered before it is parsed.");
    public static final ConfigOption<Integer> MAX_DEPTH =
            key("validation.max-depth")
                    .intType()
                    .defaultValue(32)
                    .withDescription("How deeply objects and arrays of an input record may nest.");
    public static final ConfigOption<Integer> MAX_ATTRIBUTES =
            key("validation.max-attributes")
                    .intType()
                    .defaultValue(64)
                    .withDescription("How many free attributes an event may carry.");
    public static final ConfigOption<Integer> MAX_ATTRIBUTE_CHARS =
            key("validation.max-attribute-chars")
                    .intType()
                    .defaultValue(1024)
                    .withDescription("The longest attribute value, in characters.");
    public static final ConfigOption<Duration> MAX_DURATION =
            key("validation.max-duration")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "The longest plausible action (metrics.durationMs); history.retention when not set.");
    public static final ConfigOption<Double> MAX_CPU_SECONDS =
            key("validation.max-cpu-seconds")
                    .doubleType()
                    .defaultValue(1e10)
                    .withDescription("The most CPU seconds one action may report.");
    public static final ConfigOption<Double> MAX_PEAK_CORES =
            key("validation.max-peak-cores")
                    .doubleType()
                    .defaultValue(1e5)
                    .withDescription(
                            "The most cores one action (or one allocation command) may report or ask for.");
    public static final ConfigOption<MemorySize> MAX_MEMORY =
            key("validation.max-memory")
                    .memoryType()
                    .defaultValue(MemorySize.parse("1024 tb"))
                    .withDescription(
                            "The most memory one action (or one allocation command) may report or ask for: a pebibyte.");
    public static final ConfigOption<MemorySize> MAX_NETWORK_BYTES =
            key("validation.max-network-bytes")
                    .memoryType()
                    .defaultValue(MemorySize.parse("1024 tb"))
                    .withDescription(
                            "The most bytes one action may report receiving or sending (and a command per second).");
    public static final ConfigOption<MemorySize> MAX_STORAGE_BYTES =
            key("validation.max-storage-bytes")
                    .memoryType()
                    .defaultValue(MemorySize.parse("1024 tb"))
                    .withDescription("The most bytes one action may report reading or writing.");
    public static final ConfigOption<Double> MAX_COST =
            key("validation.max-cost")
                    .doubleType()
                    .defaultValue(1e9)
                    .withDescription("The largest cost one action may report, in its currency.");

    private InputOptions() {}

    /** The limits of {@code c}; durations default to {@code retention}. */
    public static InputLimits limits(Configuration c, Duration retention) {
        Map<Metric, Double> max = new EnumMap<>(Metric.class);
        Duration duration =
                c.get(MAX_DURATION) == null ? retention : Options.positive(c, MAX_DURATION);
        max.put(Metric.DURATION_MS, (double) duration.toMillis());
        max.put(Metric.CPU_SECONDS, Options.above(c, MAX_CPU_SECONDS, 0));
        max.put(Metric.PEAK_CORES, Options.above(c, MAX_PEAK_CORES, 0));
        max.put(Metric.PEAK_MEMORY_BYTES, bytes(c, MAX_MEMORY));
        max.put(Metric.NETWORK_IN_BYTES, bytes(c, MAX_NETWORK_BYTES));
        max.put(Metric.NETWORK_OUT_BYTES, bytes(c, MAX_NETWORK_BYTES));
        max.put(Metric.BYTES_READ, bytes(c, MAX_STORAGE_BYTES));
        max.put(Metric.BYTES_WRITTEN, bytes(c, MAX_STORAGE_BYTES));
        max.put(Metric.COST, Options.above(c, MAX_COST, 0));
        long eventBytes = c.get(MAX_EVENT_BYTES).getBytes();
        if (eventBytes < 1024 || eventBytes > 64L << 20) {
            throw new IllegalArgumentException(
                    MAX_EVENT_BYTES.key()
                            + " must be from 1 kb to 64 mb, got "
                            + c.get(MAX_EVENT_BYTES));
        }
        return new InputLimits(
                (int) eventBytes,
                Options.atLeast(c, MAX_DEPTH, 3),
                Options.atLeast(c, MAX_ATTRIBUTES, 0),
                Options.atLeast(c, MAX_ATTRIBUTE_CHARS, 1),
                max);
    }

    /** The setting that bounds {@code metric}, for reasons. */
    static String keyOf(Metric metric) {
        return switch (metric) {
            case DURATION_MS -> MAX_DURATION.key();
            case CPU_SECONDS -> MAX_CPU_SECONDS.key();
            case PEAK_CORES -> MAX_PEAK_CORES.key();
            case PEAK_MEMORY_BYTES -> MAX_MEMORY.key();
            case NETWORK_IN_BYTES, NETWORK_OUT_BYTES -> MAX_NETWORK_BYTES.key();
            case BYTES_READ, BYTES_WRITTEN -> MAX_STORAGE_BYTES.key();
            case COST -> MAX_COST.key();
        };
    }

    private static double bytes(Configuration c, ConfigOption<MemorySize> o) {
        long b = c.get(o).getBytes();
        if (b < 1) {
            throw new IllegalArgumentException(o.key() + " must be positive, got " + c.get(o));
        }
        return b;
    }
}
