package dev.foreshadow.connectors.resources.simulated;

import dev.foreshadow.connectors.resources.ManagerSettings;
import dev.foreshadow.connectors.resources.ResourceManager;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.lifecycle.InstanceShape;
import java.time.Duration;

/**
 * A simulated VM pool: each instance boots for {@code bootTime}, then warms up for {@code
 * warmUpTime}, after which its readiness probe passes; a share {@code failureRate} of them fail
 * their smoke check (which of them is fixed by {@code seed}); each costs {@code pricePerHour} from
 * its request to its release.
 */
public record SimulatedSettings(
        Duration bootTime, Duration warmUpTime, double failureRate, double pricePerHour, long seed)
        implements ManagerSettings {

    public static final String KIND = "simulated";

    public SimulatedSettings {
        if (bootTime.isNegative() || warmUpTime.isNegative()) {
            throw new IllegalArgumentException("boot and warm-up times must not be negative");
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException(
                    "the warm-up failure rate must be in [0, 1], got " + failureRate);
        }
        if (!(pricePerHour >= 0) || Double.isInfinite(pricePerHour)) {
            throw new IllegalArgumentException(
                    "the price per instance-hour must be >= 0, got " + pricePerHour);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The pool of this name in this JVM's {@link SimulatedCloud}, made on first use. */
    @Override
    public ResourceManager open(PoolId pool, InstanceShape shape) {
        return new SimulatedResourceManager(SimulatedCloud.pool(pool.name(), this));
    }
}
