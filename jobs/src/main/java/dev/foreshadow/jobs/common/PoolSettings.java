package dev.foreshadow.jobs.common;

import static dev.foreshadow.jobs.common.PoolOptions.*;

import dev.foreshadow.connectors.config.Options;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.domain.WorkloadKey;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * One configured pool as both jobs read it from {@link PoolOptions}: the workflow types that run in
 * it, one instance's cores and memory, its lead time (boot plus warm-up), bounds, price, budget,
 * cooldown and the certifications it holds. Every rejected value is a one-line error naming its
 * key.
 *
 * @param types the workflow types ({@link WorkloadKey} of a type) that run in the pool
 * @param budgetPerHour the most the pool may cost per hour, 0 for no budget
 */
public record PoolSettings(
        PoolId id,
        List<WorkloadKey> types,
        double cores,
        long memoryBytes,
        Duration leadTime,
        int min,
        int max,
        double pricePerInstanceHour,
        double budgetPerHour,
        Duration cooldown,
        List<String> certifications)
        implements Serializable {

    public PoolSettings {
        types = List.copyOf(types);
        certifications = List.copyOf(certifications);
    }

    /** The names {@code allocation.pools} lists, stripped, in order; empty when it is unset. */
    public static List<String> names(Configuration c) {
        List<String> names = c.get(POOLS);
        return names == null
                ? List.of()
                : names.stream().map(String::strip).filter(n -> !n.isEmpty()).toList();
    }

    /**
     * The configured pools, by name, in configuration order (none when {@code allocation.pools} is
     * unset). A pool named twice, a bad bound, price or type, and a type listed by two pools are
     * rejected.
     */
    public static Map<String, PoolSettings> all(Configuration c) {
        Map<String, PoolSettings> pools = new LinkedHashMap<>();
        Map<WorkloadKey, String> poolOfType = new HashMap<>();
        for (String n : names(c)) {
            if (pools.containsKey(n)) {
                throw new IllegalArgumentException(POOLS.key() + " names " + n + " twice");
            }
            PoolSettings p = of(c, n);
            for (WorkloadKey t : p.types()) {
                String other = poolOfType.putIfAbsent(t, n);
                if (other != null) {
                    throw new IllegalArgumentException(
                            "workflow type "
                                    + t
                                    + " is listed by two pools: "
                                    + TYPES.of(other).key()
                                    + " and "
                                    + TYPES.of(n).key());
                }
            }
            pools.put(n, p);
        }
        return pools;
    }

    private static PoolSettings of(Configuration c, String name) {
        PoolId id;
        try {
            id = new PoolId(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(POOLS.key() + ": " + e.getMessage());
        }
        int min = Options.atLeast(c, MIN.of(name), 0);
        int max = Options.atLeast(c, MAX.of(name), 1);
        if (max < min) {
            throw new IllegalArgumentException(
                    MAX.of(name).key()
                            + " ("
                            + max
                            + ") is below "
                            + MIN.of(name).key()
                            + " ("
                            + min
                            + ")");
        }
        double cores = c.get(CORES.of(name));
        if (!(cores > 0)) {
            throw new IllegalArgumentException(
                    CORES.of(name).key() + " must be above 0, got " + cores);
        }
        long memory = c.get(MEMORY.of(name)).getBytes();
        if (memory < 1) {
            throw new IllegalArgumentException(MEMORY.of(name).key() + " must be above 0");
        }
        double price = c.get(PRICE.of(name));
        if (!(price > 0)) {
            throw new IllegalArgumentException(
                    PRICE.of(name).key() + " must be above 0, got " + price);
        }
        double budget = Options.between(c, BUDGET.of(name), 0, Double.MAX_VALUE);
        List<WorkloadKey> types;
        try {
            types =
                    c.get(TYPES.of(name)).stream()
                            .map(String::strip)
                            .filter(t -> !t.isEmpty())
                            .map(WorkloadKey::ofTypeName)
                            .distinct()
                            .toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TYPES.of(name).key() + ": " + e.getMessage());
        }
        return new PoolSettings(
                id,
                types,
                cores,
                memory,
                Options.notNegativeDuration(c, LEAD_TIME.of(name)),
                min,
                max,
                price,
                budget,
                Options.notNegativeDuration(c, COOLDOWN.of(name)),
                c.get(CERTIFICATIONS.of(name)).stream()
                        .map(String::strip)
                        .filter(x -> !x.isEmpty())
                        .toList());
    }
}
