package dev.foreshadow.jobs.shadow.dependencies;

import dev.foreshadow.models.domain.WorkloadKey;

/**
 * What {@link DependencyStatistics} counts for a parent workflow type: a run of it ({@code
 * childType} empty), or a run of {@code childType} that one of its runs started, with both start
 * times (epoch ms).
 */
public record TriggerObservation(
        String tenant, String parentType, long parentStartMs, String childType, long childStartMs) {

    static TriggerObservation parentRun(String tenant, String parentType, long startMs) {
        return new TriggerObservation(tenant, parentType, startMs, "", startMs);
    }

    /** Whether this is a triggered run (else a run of the parent). */
    public boolean isTrigger() {
        return !childType.isEmpty();
    }

    /** The Flink key of {@link DependencyStatistics}: the parent type's key, encoded. */
    public static String key(TriggerObservation o) {
        return WorkloadKey.ofType(o.tenant(), o.parentType()).encoded();
    }
}
