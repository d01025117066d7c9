package dev.foreshadow.connectors.resources;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * The warm-up's validation of one instance: its readiness probe must pass, then its smoke check
 * (the configured one, and what the manager adds: the simulated pool's seeded failures) within
 * {@code attempts} tries {@code retryInterval} apart, each within {@code timeout}, none after the
 * deadline. The outcome is recorded with the manager, so the pool's next observation shows the
 * instance READY or FAILED.
 *
 * @param smokeCheck null for none
 */
public record Validation(
        SmokeCheck smokeCheck, Duration timeout, int attempts, Duration retryInterval)
        implements Serializable {

    public Validation {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "the smoke check's timeout must be positive, got " + timeout);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException(
                    "the smoke check needs at least 1 attempt, got " + attempts);
        }
    }

    /** Validates {@code instanceId} before {@code deadline} and records the outcome. */
    public Check validate(ResourceManager manager, String instanceId, Instant deadline)
            throws ResourceException {
        Check outcome = check(manager, instanceId, deadline);
        manager.recordValidation(instanceId, outcome);
        return outcome;
    }

    private Check check(ResourceManager manager, String instanceId, Instant deadline)
            throws ResourceException {
        Check ready = manager.readiness(instanceId);
        if (!ready.passed()) {
            return Check.failed("readiness probe: " + ready.detail());
        }
        Check last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Duration left = Duration.between(manager.clock().instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return Check.failed(
                        "smoke check: deadline "
                                + deadline
                                + " passed"
                                + (last == null ? "" : " (" + last.detail() + ")"));
            }
            last =
                    manager.smokeCheck(
                            instanceId, smokeCheck, left.compareTo(timeout) < 0 ? left : timeout);
            if (last.passed()) {
                return Check.passed(
                        "readiness probe and smoke check passed (" + last.detail() + ")");
            }
            if (attempt < attempts) {
                try {
                    Thread.sleep(retryInterval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Check.failed("smoke check interrupted");
                }
            }
        }
        return Check.failed(
                "smoke check: "
                        + last.detail()
                        + (attempts > 1 ? " (" + attempts + " attempts)" : ""));
    }
}
