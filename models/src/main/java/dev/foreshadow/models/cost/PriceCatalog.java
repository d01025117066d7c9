package dev.foreshadow.models.cost;

import java.io.Serializable;

/**
 * What resources cost, for actions whose event carries no cost: CPU time per vCPU-second, memory
 * held per GiB-second, and data moved over the network per GB (10^9 bytes, as cloud providers bill
 * it). The defaults are of the order of public on-demand container prices; set your own in the
 * configuration ({@code cost.*}).
 */
public record PriceCatalog(
        double perVcpuSecond, double perGibSecond, double perGbTransferred, String currency)
        implements Serializable {

    public static final PriceCatalog DEFAULT = new PriceCatalog(0.0000114, 0.00000125, 0.09, "USD");

    public PriceCatalog {
        if (!(perVcpuSecond >= 0 && perGibSecond >= 0 && perGbTransferred >= 0)) {
            throw new IllegalArgumentException("prices must be non-negative numbers");
        }
    }

    /**
     * The cost of an action that used {@code cpuSeconds}, held {@code memoryGibSeconds} and moved
     * {@code bytes}.
     */
    public double cost(double cpuSeconds, double memoryGibSeconds, long networkBytes) {
        return cpuSeconds * perVcpuSecond
                + memoryGibSeconds * perGibSecond
                + networkBytes / 1e9 * perGbTransferred;
    }
}
