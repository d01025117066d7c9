package dev.foreshadow.connectors.records;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one action consumed, as the engine (or its interceptor) measured it. Every field is optional
 * (null when not measured); a present value is finite and non-negative (see {@link
 * dev.foreshadow.connectors.json.EventDecoder}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionMetrics(
        Long durationMs,
        Double cpuSeconds,
        Double peakCores,
        Long peakMemoryBytes,
        Long networkInBytes,
        Long networkOutBytes,
        Long bytesRead,
        Long bytesWritten) {

    public static final ActionMetrics NONE =
            new ActionMetrics(null, null, null, null, null, null, null, null);
}
