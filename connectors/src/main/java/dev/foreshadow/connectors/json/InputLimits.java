package dev.foreshadow.connectors.json;

import dev.foreshadow.models.domain.Metric;
import java.io.Serializable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How large and how deep an input record may be, and the largest plausible value of each metric:
 * the limits every decoder applies ({@link EventDecoder}, {@link ExternalEventDecoder}, {@link
 * CommandDecoder}, the OTLP records), set by {@link InputOptions}. A record beyond a limit is
 * rejected with a reason naming the field and the setting; an oversized record before it is parsed
 * at all.
 *
 * @param maxRecordBytes the largest record, in bytes, of any encoding
 * @param maxDepth how deeply objects and arrays may nest
 * @param maxAttributes how many free attributes an event may carry
 * @param maxAttributeChars the longest attribute value, in characters
 * @param maxMetric the largest plausible value of each metric, in its unit (a duration in ms)
 */
public record InputLimits(
        int maxRecordBytes,
        int maxDepth,
        int maxAttributes,
        int maxAttributeChars,
        Map<Metric, Double> maxMetric)
        implements Serializable {

    /** One pebibyte: no action holds more memory or moves more bytes. */
    public static final double PEBIBYTE = 1125899906842624.0;

    /** The longest an attribute's name may be. */
    static final int MAX_ATTRIBUTE_NAME = 128;

    /** The longest number literal the parser reads (1e999 is short; a million digits is not). */
    static final int MAX_NUMBER_CHARS = 100;

    public InputLimits {
        maxMetric = new EnumMap<>(maxMetric);
        for (Metric m : Metric.values()) {
            if (!maxMetric.containsKey(m)) {
                throw new IllegalArgumentException("no plausibility bound for " + m);
            }
        }
    }

    /** The defaults of {@link InputOptions}, with durations bounded by {@code retention}. */
    public static InputLimits defaults(Duration retention) {
        Map<Metric, Double> max = new EnumMap<>(Metric.class);
        max.put(Metric.DURATION_MS, (double) retention.toMillis());
        max.put(Metric.CPU_SECONDS, InputOptions.MAX_CPU_SECONDS.defaultValue());
        max.put(Metric.PEAK_CORES, InputOptions.MAX_PEAK_CORES.defaultValue());
        max.put(Metric.PEAK_MEMORY_BYTES, PEBIBYTE);
        max.put(Metric.NETWORK_IN_BYTES, PEBIBYTE);
        max.put(Metric.NETWORK_OUT_BYTES, PEBIBYTE);
        max.put(Metric.BYTES_READ, PEBIBYTE);
        max.put(Metric.BYTES_WRITTEN, PEBIBYTE);
        max.put(Metric.COST, InputOptions.MAX_COST.defaultValue());
        return new InputLimits(
                (int) InputOptions.MAX_EVENT_BYTES.defaultValue().getBytes(),
                InputOptions.MAX_DEPTH.defaultValue(),
                InputOptions.MAX_ATTRIBUTES.defaultValue(),
                InputOptions.MAX_ATTRIBUTE_CHARS.defaultValue(),
                max);
    }

    /** The defaults, with the default history retention (180 days). */
    public static InputLimits defaults() {
        return defaults(Duration.ofDays(180));
    }

    /** The largest plausible value of {@code metric}. */
    public double max(Metric metric) {
        return maxMetric.get(metric);
    }
}
