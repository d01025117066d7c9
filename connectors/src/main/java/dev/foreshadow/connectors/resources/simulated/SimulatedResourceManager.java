package dev.foreshadow.connectors.resources.simulated;

import dev.foreshadow.connectors.resources.Check;
import dev.foreshadow.connectors.resources.ResourceException;
import dev.foreshadow.connectors.resources.ResourceManager;
import dev.foreshadow.connectors.resources.SmokeCheck;
import dev.foreshadow.models.lifecycle.PoolObservation;
import java.time.Duration;
import java.time.InstantSource;

/**
 * The manager of a {@link SimulatedPool}. Its smoke check is the pool's simulated one (seeded
 * warm-up failures) followed by the configured check, if any, run for real against the instance's
 * id (a simulated VM has no address: {@code {host}} is {@code 127.0.0.1}).
 */
final class SimulatedResourceManager implements ResourceManager {

    private final SimulatedPool pool;

    SimulatedResourceManager(SimulatedPool pool) {
        this.pool = pool;
    }

    @Override
    public InstantSource clock() {
        return pool.clock();
    }

    @Override
    public PoolObservation observe() {
        return pool.observe();
    }

    @Override
    public void request(int n) {
        pool.request(n);
    }

    @Override
    public Check readiness(String instanceId) throws ResourceException {
        return call(() -> pool.readiness(instanceId));
    }

    @Override
    public String host(String instanceId) {
        return "127.0.0.1";
    }

    @Override
    public Check smokeCheck(String instanceId, SmokeCheck check, Duration timeout)
            throws ResourceException {
        Check simulated = call(() -> pool.simulatedSmokeCheck(instanceId));
        if (!simulated.passed() || check == null) {
            return simulated;
        }
        return check.run(host(instanceId), instanceId, timeout);
    }

    @Override
    public void recordValidation(String instanceId, Check outcome) throws ResourceException {
        call(() -> pool.recordValidation(instanceId, outcome));
    }

    @Override
    public void putInService(String instanceId) throws ResourceException {
        call(() -> pool.putInService(instanceId));
    }

    @Override
    public void drain(String instanceId) throws ResourceException {
        call(() -> pool.drain(instanceId));
    }

    @Override
    public void release(String instanceId) throws ResourceException {
        call(() -> pool.release(instanceId));
    }

    @Override
    public void close() {}

    private interface Body<T> {
        T run();
    }

    private static <T> T call(Body<T> body) throws ResourceException {
        try {
            return body.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ResourceException(e.getMessage(), e);
        }
    }

    private static void call(Runnable body) throws ResourceException {
        try {
            body.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ResourceException(e.getMessage(), e);
        }
    }
}
