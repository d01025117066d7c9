package dev.foreshadow.connectors.records;

import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Instant;
import java.util.List;

/**
 * One workflow run, summed up when it ends (or is abandoned): one row of {@code workflow_runs}.
 *
 * @param status {@code COMPLETED} (the engine said it finished) or {@code ABANDONED} (no event for
 *     the run TTL)
 */
public record RunSummary(
        String runId,
        Instant startTime,
        Instant endTime,
        String tenant,
        String workflowType,
        String triggeredBy,
        String status,
        int actions,
        int failedActions,
        double cpuSeconds,
        double memoryGibSeconds,
        long networkBytes,
        long bytesRead,
        long bytesWritten,
        double cost,
        String currency,
        List<String> certifications) {

    public static final String COMPLETED = "COMPLETED";
    public static final String ABANDONED = "ABANDONED";

    public RunSummary {
        certifications = certifications == null ? List.of() : List.copyOf(certifications);
    }

    /** The workflow type of the run. */
    public WorkloadKey typeKey() {
        return WorkloadKey.ofType(tenant, workflowType);
    }
}
