package dev.foreshadow.models.simulation;

/**
 * The instances of a simulated pool: their size, how long one takes from request to READY (boot,
 * then warm-up checks), how often a warm-up fails (the instance is replaced and never serves) and
 * what an instance costs per hour, counted from its request to its release.
 */
public record InstanceShape(
        int cores,
        long memoryBytes,
        long bootMs,
        long warmupMs,
        double warmupFailureRate,
        double pricePerHour) {

    /** 8 cores, 32 GiB, 120 s boot, 60 s warm-up, 2% warm-up failures, 1 per instance-hour. */
    public static InstanceShape defaults() {
        return new InstanceShape(8, 32L << 30, 120_000, 60_000, 0.02, 1.0);
    }

    public InstanceShape {
        if (cores < 1 || cores > 1024) {
            throw new IllegalArgumentException("instance cores must be 1..1024, got " + cores);
        }
        if (memoryBytes < (1L << 20)) {
            throw new IllegalArgumentException("instance memory must be at least 1 MiB");
        }
        if (bootMs < 0 || warmupMs < 0) {
            throw new IllegalArgumentException("boot and warm-up times must be >= 0");
        }
        if (!(warmupFailureRate >= 0 && warmupFailureRate < 1)) {
            throw new IllegalArgumentException(
                    "the warm-up failure rate must be in [0, 1), got " + warmupFailureRate);
        }
        if (!(pricePerHour > 0)) {
            throw new IllegalArgumentException("the price per instance-hour must be > 0");
        }
    }

    /** Request to READY: boot plus warm-up, the lead time a pool needs. */
    public long leadMs() {
        return bootMs + warmupMs;
    }

    int memoryMiB() {
        return (int) Math.min(Integer.MAX_VALUE, memoryBytes >> 20);
    }
}
