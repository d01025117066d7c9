package dev.foreshadow.jobs.shadow.forecast;

import dev.foreshadow.models.domain.WorkloadKey;

/**
 * One workflow type's arrivals over the cycle, as the Forecast operators are told it for the prior
 * of a new type of the same tenant: its mean runs per slot of the cycle (slot = step index since
 * the epoch modulo the slots), as of the step starting at {@code asOfMs}.
 */
public record ArrivalShape(String tenant, String workflowType, long asOfMs, double[] perSlot) {

    public ArrivalShape {
        perSlot = perSlot.clone();
    }

    public WorkloadKey typeKey() {
        return WorkloadKey.ofType(tenant, workflowType);
    }
}
