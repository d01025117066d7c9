package dev.foreshadow.models.lifecycle;

import java.util.Collection;

/** A pool's target and its instances by lifecycle state, after a change. */
public record Capacity(
        int target,
        int requested,
        int provisioning,
        int warming,
        int ready,
        int inService,
        int draining,
        int failed) {

    /**
     * The counts of {@code instances}, with {@code pending} requested instances that have no id.
     */
    public static Capacity of(int target, int pending, Collection<InstanceState> instances) {
        int[] n = new int[InstanceState.values().length];
        instances.forEach(s -> n[s.ordinal()]++);
        return new Capacity(
                target,
                pending + n[InstanceState.REQUESTED.ordinal()],
                n[InstanceState.PROVISIONING.ordinal()],
                n[InstanceState.WARMING.ordinal()],
                n[InstanceState.READY.ordinal()],
                n[InstanceState.IN_SERVICE.ordinal()],
                n[InstanceState.DRAINING.ordinal()],
                n[InstanceState.FAILED.ordinal()]);
    }
}
