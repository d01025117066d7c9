package dev.foreshadow.connectors.records;

import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Instant;

/**
 * How many runs of a workflow type started in one minute: one row of {@code arrivals}, what
 * forecasting learns.
 */
public record Arrivals(Instant bucket, String tenant, String workflowType, long runs) {

    /** The workflow type that was started. */
    public WorkloadKey typeKey() {
        return WorkloadKey.ofType(tenant, workflowType);
    }
}
