package dev.foreshadow.jobs.shadow.planner;

import static dev.foreshadow.jobs.shadow.planner.PlannerOptions.*;

import dev.foreshadow.connectors.config.Options;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.planning.PoolSpec;
import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.configuration.Configuration;

/**
 * The typed settings of the Planner operator, read once from {@link PlannerOptions}: whether its
 * commands are a dry run, and the pool a workflow type gets by default.
 */
public record PlanningSettings(
        boolean forecastOnly,
        int cores,
        long memoryBytes,
        Duration leadTime,
        int min,
        int max,
        double pricePerInstanceHour,
        double budgetPerHour,
        Duration cooldown)
        implements Serializable {

    public static PlanningSettings from(Configuration c) {
        String mode = c.get(MODE);
        boolean forecastOnly;
        switch (mode.toLowerCase(Locale.ROOT)) {
            case "apply" -> forecastOnly = false;
            case "forecast-only" -> forecastOnly = true;
            default ->
                    throw new IllegalArgumentException(
                            MODE.key() + " must be apply or forecast-only, got " + mode);
        }
        PlanningSettings s =
                new PlanningSettings(
                        forecastOnly,
                        c.get(CORES),
                        c.get(MEMORY).getBytes(),
                        Options.positive(c, LEAD_TIME),
                        c.get(MIN),
                        c.get(MAX),
                        c.get(PRICE),
                        c.get(BUDGET),
                        Options.notNegativeDuration(c, COOLDOWN));
        s.spec(new PoolId("check")); // PoolSpec's checks, with this module's keys in the message
        return s;
    }

    /** The pool {@code id} as the planner sizes it. */
    public PoolSpec spec(PoolId id) {
        try {
            return new PoolSpec(
                    id,
                    cores,
                    memoryBytes,
                    leadTime.toMillis(),
                    min,
                    max,
                    pricePerInstanceHour,
                    budgetPerHour,
                    cooldown.toMillis(),
                    Set.of(),
                    forecastOnly);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("planner.default-pool.*: " + e.getMessage(), e);
        }
    }
}
