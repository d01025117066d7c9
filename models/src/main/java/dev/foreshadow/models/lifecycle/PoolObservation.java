package dev.foreshadow.models.lifecycle;

import java.time.Instant;
import java.util.List;

/**
 * What a pool's manager reports at {@code at} (its clock): the instances it has and the capacity
 * asked for that has no instance yet, or why it could not be read. The pool's observations are the
 * reconciler's clock.
 *
 * @param pending instances requested that do not exist yet (a Deployment's replicas without pods,
 *     an Auto Scaling group's desired capacity without instances)
 * @param autoscaled active instances that the platform's own autoscaler keeps above the floor set
 *     for it (a Kubernetes HPA above its minimum): capacity, but never scaled in by the reconciler
 * @param error why the pool could not be read, or null
 */
public record PoolObservation(
        String pool,
        Instant at,
        int pending,
        int autoscaled,
        List<InstanceObservation> instances,
        String error) {

    public PoolObservation {
        instances = instances == null ? List.of() : List.copyOf(instances);
    }

    /** What a pool has at {@code at}. */
    public static PoolObservation of(
            String pool,
            Instant at,
            int pending,
            int autoscaled,
            List<InstanceObservation> instances) {
        return new PoolObservation(pool, at, pending, autoscaled, instances, null);
    }

    /** A pool that could not be read at {@code at}. */
    public static PoolObservation failed(String pool, Instant at, String error) {
        return new PoolObservation(pool, at, 0, 0, List.of(), error);
    }

    /**
     * Instances that count towards capacity (asked for and not given up), pending ones included.
     */
    public int active() {
        return pending + (int) instances.stream().filter(i -> i.state().isActive()).count();
    }
}
