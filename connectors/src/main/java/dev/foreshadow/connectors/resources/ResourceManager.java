package dev.foreshadow.connectors.resources;

import dev.foreshadow.models.lifecycle.PoolObservation;
import java.time.Duration;
import java.time.InstantSource;

/**
 * One pool of capacity as the allocator drives it: what the pool has (its instances in their
 * lifecycle states, the capacity requested that has no instance yet), and the few things the
 * allocator asks of it. Implementations: {@code simulated} (a VM pool with boot and warm-up times
 * and warm-up failures), {@code kubernetes} (a Deployment, placeholder pods, an HPA or KEDA
 * minimum), {@code autoscaling} (an EC2 Auto Scaling group with a warm pool and a launch hook).
 *
 * <p>Calls block (they are made from Flink's async I/O, never from an operator's thread) and throw
 * {@link ResourceException} when the pool's API fails; each must be safe to make again after a
 * failure or a restart. One call at a time per instance of a manager.
 */
public interface ResourceManager extends AutoCloseable {

    /** The manager's clock: observations and validation deadlines use it. */
    InstantSource clock();

    /** What the pool has now. */
    PoolObservation observe() throws ResourceException;

    /** Asks for {@code n} more instances; see {@link #provision} for the availability check. */
    void request(int n) throws ResourceException;

    /** Whether an instance's readiness probe passes now. */
    Check readiness(String instanceId) throws ResourceException;

    /** The address a smoke check reaches the instance at, or null when it has none. */
    String host(String instanceId) throws ResourceException;

    /** Records a validation's outcome: a passed instance becomes READY, a failed one FAILED. */
    void recordValidation(String instanceId, Check outcome) throws ResourceException;

    /** Puts a READY instance in service. */
    void putInService(String instanceId) throws ResourceException;

    /** Gives the instance no new work; its work in progress goes on. */
    void drain(String instanceId) throws ResourceException;

    /** Gives the instance back. */
    void release(String instanceId) throws ResourceException;

    /**
     * Prepares room for {@code headroom} instances expected soon (placeholder pods, a warm pool).
     * Returns what it did, or null when the pool has no such thing.
     */
    default String prepare(int headroom) throws ResourceException {
        return null;
    }

    /** The smoke check of one instance; {@code check} is null when none is configured. */
    default Check smokeCheck(String instanceId, SmokeCheck check, Duration timeout)
            throws ResourceException {
        return check == null
                ? Check.passed("no smoke check configured")
                : check.run(host(instanceId), instanceId, timeout);
    }

    /**
     * Availability first: asks what the pool has, then requests only what is missing for {@code
     * target} active instances, so that a replayed or repeated provision never requests twice.
     * Returns the instances requested (0 when the pool had enough) and how many it had.
     */
    default Provisioned provision(int target) throws ResourceException {
        int had = observe().active();
        int missing = Math.max(0, target - had);
        if (missing > 0) {
            request(missing);
        }
        return new Provisioned(missing, had);
    }

    /** What a provision did. */
    record Provisioned(int requested, int had) {}

    @Override
    void close();
}
