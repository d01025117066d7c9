package dev.foreshadow.jobs.shadow.planner;

import static dev.foreshadow.jobs.shadow.planner.PlannerOptions.*;

import dev.foreshadow.connectors.config.Options;
import dev.foreshadow.jobs.common.PoolOptions;
import dev.foreshadow.jobs.common.PoolSettings;
import dev.foreshadow.jobs.shadow.forecast.ForecastOptions;
import dev.foreshadow.jobs.shadow.forecast.ForecastSettings;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.domain.WorkloadKey;
import dev.foreshadow.models.planning.PoolSpec;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;

/**
 * The typed settings of the Planner operator, read once from {@link PlannerOptions} and the shared
 * pool vocabulary ({@link PoolOptions}): whether its commands are a dry run, the configured pools
 * and the workflow types each runs, and the pool a type in no configured pool gets by default.
 *
 * @param defaultPool how each workflow type's own pool is sized ({@code planner.default-pool.*}),
 *     when no configured pool lists the type
 * @param pools the configured pools by name ({@code allocation.pools}), empty when none
 */
public record PlanningSettings(
        boolean forecastOnly, PoolSettings defaultPool, Map<String, PoolSettings> pools)
        implements Serializable {

    /** The name the default pool's settings carry: each type's own pool takes its place. */
    private static final PoolId DEFAULT = new PoolId("planner.default-pool");

    public PlanningSettings {
        pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    }

    /** Only default pools (one per workflow type), each sized as these arguments say. */
    public PlanningSettings(
            boolean forecastOnly,
            int cores,
            long memoryBytes,
            Duration leadTime,
            int min,
            int max,
            double pricePerInstanceHour,
            double budgetPerHour,
            Duration cooldown) {
        this(
                forecastOnly,
                new PoolSettings(
                        DEFAULT,
                        List.of(),
                        cores,
                        memoryBytes,
                        leadTime,
                        min,
                        max,
                        pricePerInstanceHour,
                        budgetPerHour,
                        cooldown,
                        List.of()),
                Map.of());
    }

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
        PlanningSettings defaults =
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
        PlanningSettings s =
                new PlanningSettings(forecastOnly, defaults.defaultPool, PoolSettings.all(c));
        s.spec(new PoolId("check")); // PoolSpec's checks, with this module's keys in the message
        ForecastSettings forecast = ForecastSettings.from(c);
        for (PoolSettings p : s.pools.values()) {
            String name = p.id().name();
            if (p.cores() != Math.rint(p.cores()) || p.cores() < 1) {
                throw new IllegalArgumentException(
                        PoolOptions.CORES.of(name).key()
                                + " must be a whole number of cores for ShadowJob's planner, got "
                                + p.cores());
            }
            if (forecast.horizon().compareTo(p.leadTime().plus(forecast.bucket())) < 0) {
                throw new IllegalArgumentException(
                        ForecastOptions.HORIZON.key()
                                + " ("
                                + forecast.horizon()
                                + ") is shorter than "
                                + PoolOptions.LEAD_TIME.of(name).key()
                                + " ("
                                + p.leadTime()
                                + ") plus one "
                                + ForecastOptions.BUCKET.key()
                                + " ("
                                + forecast.bucket()
                                + ")");
            }
            s.spec(p.id());
        }
        return s;
    }

    /**
     * The pool a workflow type is planned in: the configured pool that lists it, else its default
     * pool ({@link PoolId#defaultFor}).
     */
    public PoolId poolOf(WorkloadKey type) {
        WorkloadKey t = type.workflowTypeKey();
        for (PoolSettings p : pools.values()) {
            if (p.types().contains(t)) {
                return p.id();
            }
        }
        return PoolId.defaultFor(t);
    }

    /**
     * The pool an anomaly scale-up for default pool {@code defaultPool} is bounded in: the
     * configured pool of that pool's type, if any.
     */
    public String poolOfDefault(String defaultPool) {
        for (PoolSettings p : pools.values()) {
            for (WorkloadKey t : p.types()) {
                if (PoolId.defaultFor(t).name().equals(defaultPool)) {
                    return p.id().name();
                }
            }
        }
        return defaultPool;
    }

    /** The pool {@code id} as the planner sizes it: configured, else a default pool. */
    public PoolSpec spec(PoolId id) {
        PoolSettings p = pools.getOrDefault(id.name(), defaultPool);
        try {
            return new PoolSpec(
                    id,
                    (int) p.cores(),
                    p.memoryBytes(),
                    p.leadTime().toMillis(),
                    p.min(),
                    p.max(),
                    p.pricePerInstanceHour(),
                    p.budgetPerHour(),
                    p.cooldown().toMillis(),
                    Set.copyOf(p.certifications()),
                    forecastOnly);
        } catch (IllegalArgumentException e) {
            String prefix =
                    p == defaultPool ? "planner.default-pool." : PoolOptions.poolPrefix(id.name());
            throw new IllegalArgumentException(prefix + "*: " + e.getMessage(), e);
        }
    }
}
