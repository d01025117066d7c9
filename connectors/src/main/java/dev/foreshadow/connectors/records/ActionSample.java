package dev.foreshadow.connectors.records;

import dev.foreshadow.models.domain.Metric;
import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one action cost, recorded by the Shadow operator when the action ends: one row of {@code
 * action_samples}. Keyed by the id of the event that ended the action, so a replayed event is
 * stored once.
 *
 * @param time when the action ended (the partitioning time)
 * @param costEstimated true when the cost came from the price catalog rather than from the event
 */
public record ActionSample(
        String eventId,
        Instant time,
        Instant startTime,
        String tenant,
        String workflowType,
        String runId,
        String actionType,
        String actionId,
        boolean failed,
        int attempt,
        long durationMs,
        double cpuSeconds,
        double peakCores,
        long peakMemoryBytes,
        long networkInBytes,
        long networkOutBytes,
        long bytesRead,
        long bytesWritten,
        String encryption,
        List<String> certifications,
        double cost,
        String currency,
        boolean costEstimated,
        Map<String, String> attributes) {

    public ActionSample {
        certifications = certifications == null ? List.of() : List.copyOf(certifications);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** Memory held over the action's duration, in GiB-seconds. */
    public double memoryGibSeconds() {
        return peakMemoryBytes / (1024.0 * 1024 * 1024) * (durationMs / 1000.0);
    }

    /** The (tenant, workflow type, action type) of the sample. */
    public WorkloadKey workloadKey() {
        return WorkloadKey.ofAction(tenant, workflowType, actionType);
    }

    /** The value of one metric of the sample. */
    public double value(Metric metric) {
        return switch (metric) {
            case DURATION_MS -> durationMs;
            case CPU_SECONDS -> cpuSeconds;
            case PEAK_CORES -> peakCores;
            case PEAK_MEMORY_BYTES -> peakMemoryBytes;
            case NETWORK_IN_BYTES -> networkInBytes;
            case NETWORK_OUT_BYTES -> networkOutBytes;
            case BYTES_READ -> bytesRead;
            case BYTES_WRITTEN -> bytesWritten;
            case COST -> cost;
        };
    }
}
