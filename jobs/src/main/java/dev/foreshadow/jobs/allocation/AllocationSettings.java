package dev.foreshadow.jobs.allocation;

import static dev.foreshadow.jobs.allocation.AllocationOptions.*;

import dev.foreshadow.connectors.history.PostgresSettings;
import dev.foreshadow.connectors.kafka.KafkaSettings;
import dev.foreshadow.connectors.resources.ManagerSettings;
import dev.foreshadow.connectors.resources.SmokeCheck;
import dev.foreshadow.connectors.resources.Validation;
import dev.foreshadow.connectors.resources.autoscaling.AutoScalingSettings;
import dev.foreshadow.connectors.resources.kubernetes.KubernetesSettings;
import dev.foreshadow.connectors.resources.simulated.SimulatedSettings;
import dev.foreshadow.jobs.config.ShadowOptions;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.lifecycle.InstanceShape;
import dev.foreshadow.models.lifecycle.PoolLimits;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The typed settings of AllocationJob, read once from a {@link Configuration} (see {@link
 * AllocationOptions}); every rejected value is an error naming its key.
 *
 * @param callTimeout the longest a manager call may take, retries included
 * @param pools the configured pools, by name, in configuration order
 */
public record AllocationSettings(
        KafkaSettings kafka,
        String groupId,
        String commandsTopic,
        String statusTopic,
        String deadLettersTopic,
        boolean exactlyOnce,
        PostgresSettings history,
        int batchSize,
        Duration flushInterval,
        Duration pollInterval,
        Duration callTimeout,
        int callRetries,
        Duration retryBackoff,
        int asyncCapacity,
        int maxParallelism,
        Map<String, Pool> pools)
        implements Serializable {

    /**
     * One pool: how to size and time it, its instance shape and certifications, its manager and the
     * validation of its warm-ups.
     */
    public record Pool(
            PoolId id,
            PoolLimits limits,
            InstanceShape shape,
            List<String> certifications,
            ManagerSettings manager,
            Validation validation)
            implements Serializable {

        public Pool {
            certifications = List.copyOf(certifications);
        }
    }

    public AllocationSettings {
        pools = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    }

    /** The settings of {@code c}; the plug-in point for a shared configuration loader. */
    public static AllocationSettings from(Configuration c) {
        Duration poll = positive(POLL_INTERVAL, c.get(POLL_INTERVAL));
        Duration callTimeout = positive(CALL_TIMEOUT, c.get(CALL_TIMEOUT));
        Map<String, Pool> pools = new LinkedHashMap<>();
        for (String n : poolNames(c)) {
            if (pools.containsKey(n)) {
                throw new IllegalArgumentException(POOLS.key() + " names " + n + " twice");
            }
            pools.put(n, pool(c, n, poll, callTimeout));
        }
        int batch = c.get(ShadowOptions.HISTORY_BATCH_SIZE);
        if (batch < 1) {
            throw new IllegalArgumentException(
                    ShadowOptions.HISTORY_BATCH_SIZE.key() + " must be at least 1, got " + batch);
        }
        return new AllocationSettings(
                KafkaSettings.of(
                        c.get(ShadowOptions.KAFKA_BOOTSTRAP_SERVERS),
                        path(c.get(ShadowOptions.KAFKA_PROPERTIES_FILE))),
                c.get(GROUP_ID),
                c.get(ShadowOptions.TOPIC_ALLOCATION_COMMANDS),
                c.get(TOPIC_ALLOCATION_STATUS),
                c.get(ShadowOptions.TOPIC_DEAD_LETTERS),
                c.get(ShadowOptions.KAFKA_EXACTLY_ONCE),
                PostgresSettings.of(
                        c.get(ShadowOptions.HISTORY_JDBC_URL),
                        c.get(ShadowOptions.HISTORY_USER),
                        path(c.get(ShadowOptions.HISTORY_PASSWORD_FILE))),
                batch,
                positive(
                        ShadowOptions.HISTORY_FLUSH_INTERVAL,
                        c.get(ShadowOptions.HISTORY_FLUSH_INTERVAL)),
                poll,
                callTimeout,
                atLeast(CALL_RETRIES, c.get(CALL_RETRIES), 0),
                positive(RETRY_BACKOFF, c.get(RETRY_BACKOFF)),
                atLeast(ASYNC_CAPACITY, c.get(ASYNC_CAPACITY), 1),
                atLeast(ShadowOptions.MAX_PARALLELISM, c.get(ShadowOptions.MAX_PARALLELISM), 1),
                pools);
    }

    private static List<String> poolNames(Configuration c) {
        List<String> names = c.get(POOLS);
        if (names == null || names.stream().allMatch(String::isBlank)) {
            throw new IllegalArgumentException(
                    POOLS.key()
                            + " is empty: name at least one pool (allocation.pools: shop/orders)");
        }
        return names.stream().map(String::strip).filter(n -> !n.isEmpty()).toList();
    }

    private static Pool pool(Configuration c, String name, Duration poll, Duration callTimeout) {
        PoolId id;
        try {
            id = new PoolId(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(POOLS.key() + ": " + e.getMessage());
        }
        int min = atLeast(MIN.of(name), c.get(MIN.of(name)), 0);
        int max = atLeast(MAX.of(name), c.get(MAX.of(name)), 1);
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
        PoolLimits limits =
                new PoolLimits(
                        min,
                        max,
                        notNegative(COOLDOWN.of(name), c.get(COOLDOWN.of(name))),
                        notNegative(LEAD_TIME.of(name), c.get(LEAD_TIME.of(name))),
                        positive(VALIDATION_DEADLINE.of(name), c.get(VALIDATION_DEADLINE.of(name))),
                        // a call not seen done by then is made again: its own timeout and two polls
                        callTimeout.plus(poll.multipliedBy(2)),
                        notNegative(PREPARE_AHEAD.of(name), c.get(PREPARE_AHEAD.of(name))));
        InstanceShape shape;
        try {
            shape =
                    new InstanceShape(
                            c.get(CORES.of(name)),
                            c.get(MEMORY.of(name)).getBytes(),
                            c.get(NETWORK.of(name)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    poolPrefix(name) + "cores/memory/network: " + e.getMessage());
        }
        return new Pool(
                id,
                limits,
                shape,
                c.get(CERTIFICATIONS.of(name)),
                manager(c, name),
                validation(c, name));
    }

    private static ManagerSettings manager(Configuration c, String name) {
        String kind = c.get(MANAGER.of(name));
        if (kind == null) {
            throw new IllegalArgumentException(
                    MANAGER.of(name).key() + " is missing: simulated, kubernetes or autoscaling");
        }
        try {
            return switch (kind) {
                case SimulatedSettings.KIND ->
                        new SimulatedSettings(
                                notNegative(
                                        SIMULATED_BOOT_TIME.of(name),
                                        c.get(SIMULATED_BOOT_TIME.of(name))),
                                notNegative(
                                        SIMULATED_WARM_UP_TIME.of(name),
                                        c.get(SIMULATED_WARM_UP_TIME.of(name))),
                                between(
                                        SIMULATED_FAILURE_RATE.of(name),
                                        c.get(SIMULATED_FAILURE_RATE.of(name)),
                                        0,
                                        1),
                                between(
                                        SIMULATED_PRICE.of(name),
                                        c.get(SIMULATED_PRICE.of(name)),
                                        0,
                                        Double.MAX_VALUE),
                                c.get(SIMULATED_SEED.of(name)));
                case KubernetesSettings.KIND ->
                        new KubernetesSettings(
                                c.get(KUBERNETES_NAMESPACE.of(name)),
                                required(c, KUBERNETES_DEPLOYMENT.of(name)),
                                c.get(KUBERNETES_HPA.of(name)),
                                c.get(KUBERNETES_SCALED_OBJECT.of(name)),
                                c.get(KUBERNETES_PLACEHOLDER_PRIORITY.of(name)),
                                c.get(KUBERNETES_PLACEHOLDER_IMAGE.of(name)));
                case AutoScalingSettings.KIND ->
                        new AutoScalingSettings(
                                required(c, AUTOSCALING_GROUP.of(name)),
                                required(c, AUTOSCALING_REGION.of(name)),
                                c.get(AUTOSCALING_ENDPOINT.of(name)),
                                c.get(AUTOSCALING_LIFECYCLE_HOOK.of(name)),
                                c.get(AUTOSCALING_WARM_POOL_STATE.of(name)));
                default ->
                        throw new IllegalArgumentException(
                                "'" + kind + "' is not simulated, kubernetes or autoscaling");
            };
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException(
                    message.startsWith(poolPrefix(name))
                            ? message
                            : MANAGER.of(name).key() + ": " + message);
        }
    }

    private static Validation validation(Configuration c, String name) {
        String url = c.get(VALIDATION_HTTP_GET.of(name));
        List<String> command = c.get(VALIDATION_COMMAND.of(name));
        if (url != null && command != null) {
            throw new IllegalArgumentException(
                    poolPrefix(name) + "validation: set http-get or command, not both");
        }
        SmokeCheck check;
        try {
            check =
                    url != null
                            ? new SmokeCheck.HttpGet(
                                    url,
                                    c.get(VALIDATION_EXPECT_STATUS.of(name)),
                                    c.get(VALIDATION_EXPECT_BODY.of(name)))
                            : command != null
                                    ? new SmokeCheck.Command(
                                            command,
                                            c.get(VALIDATION_EXPECT_EXIT.of(name)),
                                            c.get(VALIDATION_EXPECT_OUTPUT.of(name)))
                                    : null;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(poolPrefix(name) + "validation: " + e.getMessage());
        }
        return new Validation(
                check,
                positive(VALIDATION_TIMEOUT.of(name), c.get(VALIDATION_TIMEOUT.of(name))),
                atLeast(VALIDATION_ATTEMPTS.of(name), c.get(VALIDATION_ATTEMPTS.of(name)), 1),
                notNegative(
                        VALIDATION_RETRY_INTERVAL.of(name),
                        c.get(VALIDATION_RETRY_INTERVAL.of(name))));
    }

    /**
     * Reads a configuration file of flat {@code key: value} lines, then applies overrides, and
     * rejects a key of AllocationJob's (or of the sections it shares with ShadowJob) that no job
     * knows, so that a typo does not fall back to a default. A small, separate step until one
     * loader serves every job.
     */
    public static Configuration load(Path file, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
            p.stringPropertyNames().forEach(k -> values.put(k.trim(), p.getProperty(k).trim()));
        }
        values.putAll(overrides);
        Configuration c = Configuration.fromMap(values);
        rejectUnknownKeys(values.keySet(), poolNames(c));
        from(c); // validates every value now, with the key in the message
        return c;
    }

    private static void rejectUnknownKeys(Set<String> keys, List<String> configured) {
        Set<String> known =
                Stream.of(own().stream(), SHARED.stream(), ShadowOptions.all().stream())
                        .flatMap(s -> s)
                        .map(ConfigOption::key)
                        .collect(Collectors.toSet());
        Set<String> suffixes =
                perPool().stream().map(PoolOption::suffix).collect(Collectors.toSet());
        for (String k : keys) {
            if (k.startsWith("allocation.pool.")) {
                boolean ok =
                        configured.stream()
                                .anyMatch(
                                        p ->
                                                k.startsWith(poolPrefix(p))
                                                        && suffixes.contains(
                                                                k.substring(
                                                                        poolPrefix(p).length())));
                if (!ok) {
                    throw new IllegalArgumentException(
                            "unknown setting "
                                    + k
                                    + " (a pool's keys are allocation.pool.<name>.<setting>, <name> one of "
                                    + POOLS.key()
                                    + ": "
                                    + configured
                                    + ")");
                }
                continue;
            }
            String section = k.contains(".") ? k.substring(0, k.indexOf('.')) : k;
            if (Set.of("allocation", "kafka", "topics", "history", "job").contains(section)
                    && !known.contains(k)) {
                throw new IllegalArgumentException(
                        "unknown setting " + k + " (see the README's configuration table)");
            }
        }
    }

    private static String required(Configuration c, ConfigOption<String> o) {
        String v = c.get(o);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(o.key() + " is missing");
        }
        return v;
    }

    private static Duration positive(ConfigOption<Duration> o, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(o.key() + " must be positive, got " + d);
        }
        return d;
    }

    private static Duration notNegative(ConfigOption<Duration> o, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(o.key() + " must not be negative, got " + d);
        }
        return d;
    }

    private static double between(ConfigOption<Double> o, double value, double low, double high) {
        if (!(value >= low && value <= high)) {
            throw new IllegalArgumentException(
                    o.key()
                            + " must be from "
                            + low
                            + (high == Double.MAX_VALUE ? "" : " to " + high)
                            + ", got "
                            + value);
        }
        return value;
    }

    private static int atLeast(ConfigOption<Integer> o, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(
                    o.key() + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }
}
