package dev.foreshadow.models.domain;

import java.util.List;

/**
 * A metric of one action, as named in {@code ActionSample}, {@code Anomaly} and the history tables,
 * with its unit, its resolution (the difference below which values are the same: a millisecond, a
 * byte, a millicore, a millionth of the currency) and whether it is a resource that more capacity
 * can answer (more cores, memory or network; not a longer duration or a higher cost).
 */
public enum Metric {
    DURATION_MS("durationMs", "ms", 1, false),
    CPU_SECONDS("cpuSeconds", "s", 1e-3, true),
    PEAK_CORES("peakCores", "cores", 1e-3, true),
    PEAK_MEMORY_BYTES("peakMemoryBytes", "bytes", 1, true),
    NETWORK_IN_BYTES("networkInBytes", "bytes", 1, true),
    NETWORK_OUT_BYTES("networkOutBytes", "bytes", 1, true),
    BYTES_READ("bytesRead", "bytes", 1, false),
    BYTES_WRITTEN("bytesWritten", "bytes", 1, false),
    COST("cost", "currency", 1e-6, false);

    /** Every metric, in the order detectors and tables list them. */
    public static final List<Metric> ALL = List.of(values());

    private final String wireName;
    private final String unit;
    private final double resolution;
    private final boolean resource;

    Metric(String wireName, String unit, double resolution, boolean resource) {
        this.wireName = wireName;
        this.unit = unit;
        this.resolution = resolution;
        this.resource = resource;
    }

    /** The name in records, JSON and tables. */
    public String wireName() {
        return wireName;
    }

    /** The unit values are in. */
    public String unit() {
        return unit;
    }

    /** The difference below which two values are the same, in {@link #unit()}. */
    public double resolution() {
        return resolution;
    }

    /** Whether more capacity (cores, memory, network) can answer a rise of this metric. */
    public boolean isResource() {
        return resource;
    }

    /** The metric of a wire name, or an error naming it. */
    public static Metric ofWireName(String name) {
        for (Metric m : values()) {
            if (m.wireName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no metric " + name);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
