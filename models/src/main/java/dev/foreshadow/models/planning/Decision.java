package dev.foreshadow.models.planning;

import dev.foreshadow.models.domain.AllocationReason;
import dev.foreshadow.models.domain.PoolId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One planning decision, a floor: pool {@code pool} must have at least {@code instances} READY by
 * {@code readyByMs}, until {@code expiresAtMs}. The job maps it to an {@code AllocationCommand};
 * the simulator applies it as the allocator would.
 *
 * @param cores the cores of demand the floor is sized for (the quantile of the forecast, or the
 *     work present when the reactive rule decided)
 * @param rule the rule that set {@code instances}: {@code forecast}, {@code reactive floor}, {@code
 *     reactive (no forecast: ...)}, then any bound that changed it ({@code maximum}, {@code
 *     budget}, {@code minimum})
 */
public record Decision(
        PoolId pool,
        long issuedAtMs,
        long readyByMs,
        long expiresAtMs,
        int instances,
        double cores,
        long memoryBytes,
        long networkBytesPerSecond,
        Set<String> certifications,
        double quantile,
        AllocationReason reason,
        String rule,
        boolean dryRun,
        Basis basis) {

    public Decision {
        certifications = Set.copyOf(certifications);
    }

    /**
     * What the decision rests on: the forecast (mean and quantile of the cores at {@code readyBy},
     * the part from runs in flight and from arrivals), the instances the forecast and the reactive
     * rule asked for, the model per workflow type, the events and dependencies applied.
     */
    public record Basis(
            double forecastCoresMean,
            double forecastCoresQuantile,
            double inFlightCores,
            double arrivalsCores,
            int forecastInstances,
            int reactiveInstances,
            Map<String, String> models,
            List<String> events,
            List<String> dependencies) {

        public Basis {
            models = Map.copyOf(models);
            events = List.copyOf(events);
            dependencies = List.copyOf(dependencies);
        }
    }
}
