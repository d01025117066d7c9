package dev.foreshadow.connectors.records;

import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Instant;
import java.util.Map;

/**
 * A deviation found while a workflow runs, emitted on {@code anomalies} and stored in the {@code
 * anomalies} table.
 *
 * @param kind what was found: {@code metric}, {@code sustained-spike}, {@code retry-storm}, {@code
 *     unexpected-order}, {@code cost-overrun}, {@code stuck-action}
 * @param score in [0, 1]; higher is more anomalous
 */
public record Anomaly(
        String anomalyId,
        String kind,
        Instant time,
        String tenant,
        String workflowType,
        String runId,
        String actionType,
        String actionId,
        String metric,
        double observed,
        double expected,
        double score,
        Map<String, String> context) {

    public Anomaly {
        context = context == null ? Map.of() : Map.copyOf(context);
    }

    /**
     * The (tenant, workflow type, action type) it concerns; its workflow type for run anomalies.
     */
    public WorkloadKey workloadKey() {
        return actionType == null
                ? WorkloadKey.ofType(tenant, workflowType)
                : WorkloadKey.ofAction(tenant, workflowType, actionType);
    }
}
