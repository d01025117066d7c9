package dev.foreshadow.connectors.resources.simulated;

import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated pools of this JVM, by name, as a cloud provider holds them: every manager opened
 * for a pool (the job's observing and calling operators, the demo's summary, a test) sees the same
 * instances. A pool is made on first use on the system clock; the demo and tests {@link #register}
 * one on their own clock first. Simulation only: on a cluster of several TaskManagers each has its
 * own.
 */
public final class SimulatedCloud {

    private static final Map<String, SimulatedPool> POOLS = new ConcurrentHashMap<>();

    private SimulatedCloud() {}

    /** Registers a pool on {@code clock}, replacing one of the same name. */
    public static SimulatedPool register(
            String name, SimulatedSettings settings, InstantSource clock) {
        SimulatedPool pool = new SimulatedPool(name, settings, clock);
        POOLS.put(name, pool);
        return pool;
    }

    /** The pool of that name, made on the system clock if there is none. */
    public static SimulatedPool pool(String name, SimulatedSettings settings) {
        return POOLS.computeIfAbsent(
                name, n -> new SimulatedPool(n, settings, InstantSource.system()));
    }

    public static Optional<SimulatedPool> find(String name) {
        return Optional.ofNullable(POOLS.get(name));
    }

    /** Forgets a pool (its instances vanish with it). */
    public static void remove(String name) {
        POOLS.remove(name);
    }
}
