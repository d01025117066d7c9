package dev.foreshadow.connectors.records;

import java.util.List;
import java.util.Map;

/**
 * What a planned {@link AllocationCommand} rests on: the demand forecast at {@code readyBy} (mean
 * and the quantile sized for, in cores; the part from runs in flight and from runs still to
 * arrive), the instances the forecast and the reactive rule asked for, the forecasting model per
 * workflow type (and why it was used), and the external events and dependencies applied.
 */
public record AllocationBasis(
        double forecastCoresMean,
        double forecastCoresQuantile,
        double inFlightCores,
        double arrivalsCores,
        int forecastInstances,
        int reactiveInstances,
        Map<String, String> models,
        List<String> events,
        List<String> dependencies) {

    public AllocationBasis {
        models = models == null ? Map.of() : Map.copyOf(models);
        events = events == null ? List.of() : List.copyOf(events);
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }
}
