package dev.foreshadow.models.demand;

import java.util.List;
import java.util.Map;
import org.hipparchus.special.Erf;

/**
 * The demand forecast for one pool at a few moments ahead: per moment the mean and variance of the
 * cores and memory its workflow types will use, as quantiles through a normal approximation (a sum
 * of many runs' demands), with what the forecast rests on.
 *
 * @param networkBytesPerSecond mean network demand at the first moment
 * @param inFlightCores mean cores at the first moment from runs already started
 * @param arrivalsCores mean cores at the first moment from runs still to arrive (and triggered)
 * @param models per workflow type, the forecasting model and why it was used
 * @param available false when some type of the pool has no forecast at all (no history and no
 *     similar type): the planner then falls back to the reactive rule
 */
public record PoolDemand(
        long[] atMs,
        double[] meanCores,
        double[] varianceCores,
        double[] meanMemoryBytes,
        double[] varianceMemoryBytes,
        double networkBytesPerSecond,
        double inFlightCores,
        double arrivalsCores,
        Map<String, String> models,
        List<String> events,
        List<String> dependencies,
        boolean available) {

    public PoolDemand {
        models = Map.copyOf(models);
        events = List.copyOf(events);
        dependencies = List.copyOf(dependencies);
    }

    /** The {@code q} quantile of the cores used at moment {@code i} (never below 0). */
    public double coresQuantile(int i, double q) {
        return quantile(meanCores[i], varianceCores[i], q);
    }

    public double memoryQuantile(int i, double q) {
        return quantile(meanMemoryBytes[i], varianceMemoryBytes[i], q);
    }

    static double quantile(double mean, double variance, double q) {
        double z = Math.sqrt(2) * Erf.erfInv(2 * q - 1);
        return Math.max(0, mean + z * Math.sqrt(Math.max(0, variance)));
    }
}
