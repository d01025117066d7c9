package dev.foreshadow.connectors.records;

import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Instant;
import java.util.List;

/**
 * One workflow run, summed up when it ends (or is abandoned): one row of {@code workflow_runs}.
 *
 * @param status {@code COMPLETED} (the engine said it finished) or {@code ABANDONED} (no event for
 *     the run TTL)
 * @param progress the offsets (ms since the start) at which the run had ended each next eighth of
 *     its actions, for the planner to place runs in flight; empty when not known (not stored)
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
        List<String> certifications,
        List<Long> progress) {

    public static final String COMPLETED = "COMPLETED";
    public static final String ABANDONED = "ABANDONED";

    public RunSummary {
        certifications = certifications == null ? List.of() : List.copyOf(certifications);
        progress = progress == null ? List.of() : List.copyOf(progress);
    }

    /** A summary whose progress is not known. */
    public RunSummary(
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
        this(
                runId,
                startTime,
                endTime,
                tenant,
                workflowType,
                triggeredBy,
                status,
                actions,
                failedActions,
                cpuSeconds,
                memoryGibSeconds,
                networkBytes,
                bytesRead,
                bytesWritten,
                cost,
                currency,
                certifications,
                List.of());
    }

    /** The workflow type of the run. */
    public WorkloadKey typeKey() {
        return WorkloadKey.ofType(tenant, workflowType);
    }
}
