package dev.foreshadow.models.lifecycle;

import java.io.Serializable;

/**
 * What one instance of a pool offers, so that a command's capacity (cores, memory, network,
 * instances) becomes a number of instances.
 *
 * @param networkBytesPerSecond 0 when the pool does not size by network
 */
public record InstanceShape(double cores, long memoryBytes, long networkBytesPerSecond)
        implements Serializable {

    public InstanceShape {
        if (!(cores > 0) || Double.isInfinite(cores)) {
            throw new IllegalArgumentException(
                    "an instance's cores must be positive, got " + cores);
        }
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException(
                    "an instance's memory must be positive, got " + memoryBytes);
        }
        if (networkBytesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "an instance's network must be >= 0, got " + networkBytesPerSecond);
        }
    }

    /**
     * The instances a command asks for: each of its dimensions is a floor, and the largest governs.
     * A network need counts only where the pool sizes by network.
     */
    public int instancesFor(
            double cores, long memoryBytes, long networkBytesPerSecond, int instances) {
        long byCores = (long) Math.ceil(cores / this.cores - 1e-9);
        long byMemory = ceilDiv(memoryBytes, this.memoryBytes);
        long byNetwork =
                this.networkBytesPerSecond == 0
                        ? 0
                        : ceilDiv(networkBytesPerSecond, this.networkBytesPerSecond);
        long most = Math.max(Math.max(instances, byCores), Math.max(byMemory, byNetwork));
        return (int) Math.min(Integer.MAX_VALUE, most);
    }

    private static long ceilDiv(long need, long per) {
        return need <= 0 ? 0 : (need + per - 1) / per;
    }
}
