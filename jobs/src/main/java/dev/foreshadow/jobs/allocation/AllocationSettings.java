package dev.foreshadow.jobs.allocation;

import static dev.foreshadow.jobs.allocation.AllocationOptions.*;
import static dev.foreshadow.jobs.common.PoolOptions.POOLS;

import dev.foreshadow.connectors.config.Options;
import dev.foreshadow.connectors.history.HistoryOptions;
import dev.foreshadow.connectors.history.HistorySettings;
import dev.foreshadow.connectors.json.InputOptions;
import dev.foreshadow.connectors.kafka.KafkaOptions;
import dev.foreshadow.connectors.kafka.KafkaSettings;
import dev.foreshadow.connectors.privacy.AttributePolicy;
import dev.foreshadow.connectors.privacy.PrivacyOptions;
import dev.foreshadow.connectors.resources.ManagerSettings;
import dev.foreshadow.connectors.resources.SmokeCheck;
import dev.foreshadow.connectors.resources.Validation;
import dev.foreshadow.connectors.resources.autoscaling.AutoScalingSettings;
import dev.foreshadow.connectors.resources.kubernetes.KubernetesSettings;
import dev.foreshadow.connectors.resources.simulated.SimulatedSettings;
import dev.foreshadow.jobs.common.ConfigLoader;
import dev.foreshadow.jobs.common.JobOptions;
import dev.foreshadow.jobs.common.JobSettings;
import dev.foreshadow.jobs.common.PoolOptions;
import dev.foreshadow.jobs.common.PoolOptions.PoolOption;
import dev.foreshadow.jobs.common.PoolSettings;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.lifecycle.InstanceShape;
import dev.foreshadow.models.lifecycle.PoolLimits;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The typed settings of AllocationJob, read once from a {@link Configuration} (see {@link
 * AllocationOptions}); every rejected value is an error naming its key.
 *
 * @param privacy what is redacted from the dead letters of rejected commands
 * @param callTimeout the longest a manager call may take, retries included
 * @param pools the configured pools, by name, in configuration order
 */
public record AllocationSettings(
        KafkaSettings kafka,
        String groupId,
        String commandsTopic,
        String statusTopic,
        String deadLettersTopic,
        DeliveryGuarantee guarantee,
        HistorySettings history,
        JobSettings job,
        AttributePolicy privacy,
        Duration pollInterval,
        Duration callTimeout,
        int callRetries,
        Duration retryBackoff,
        int asyncCapacity,
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

    /** The option classes AllocationJob reads (the per-pool keys are AllocationOptions' too). */
    public static final List<Class<?>> OPTIONS =
            List.of(
                    KafkaOptions.class,
                    HistoryOptions.class,
                    JobOptions.class,
                    InputOptions.class,
                    PrivacyOptions.class,
                    PoolOptions.class,
                    AllocationOptions.class);

    /** The settings of {@code c}; every rejected value is an error naming its key. */
    public static AllocationSettings from(Configuration c) {
        Duration poll = Options.positive(c, POLL_INTERVAL);
        Duration callTimeout = Options.positive(c, CALL_TIMEOUT);
        Map<String, Pool> pools = new LinkedHashMap<>();
        poolNames(c);
        for (PoolSettings p : PoolSettings.all(c).values()) {
            pools.put(p.id().name(), pool(c, p, poll, callTimeout));
        }
        return new AllocationSettings(
                KafkaOptions.settings(c),
                c.get(GROUP_ID),
                c.get(KafkaOptions.TOPIC_ALLOCATION_COMMANDS),
                c.get(KafkaOptions.TOPIC_ALLOCATION_STATUS),
                c.get(KafkaOptions.TOPIC_DEAD_LETTERS),
                KafkaOptions.guarantee(c),
                HistoryOptions.settings(c),
                JobOptions.settings(c),
                PrivacyOptions.policy(c),
                poll,
                callTimeout,
                Options.atLeast(c, CALL_RETRIES, 0),
                Options.positive(c, RETRY_BACKOFF),
                Options.atLeast(c, ASYNC_CAPACITY, 1),
                pools);
    }

    private static List<String> poolNames(Configuration c) {
        List<String> names = PoolSettings.names(c);
        if (names.isEmpty()) {
            throw new IllegalArgumentException(
                    POOLS.key()
                            + " is empty: name at least one pool (allocation.pools: shop/orders)");
        }
        return names;
    }

    /** Pool {@code p} as AllocationJob drives it: the shared settings, its manager's own. */
    private static Pool pool(Configuration c, PoolSettings p, Duration poll, Duration callTimeout) {
        String name = p.id().name();
        PoolLimits limits =
                new PoolLimits(
                        p.min(),
                        p.max(),
                        p.cooldown(),
                        p.leadTime(),
                        Options.positive(c, VALIDATION_DEADLINE.of(name)),
                        // a call not seen done by then is made again: its own timeout and two polls
                        callTimeout.plus(poll.multipliedBy(2)),
                        Options.notNegativeDuration(c, PREPARE_AHEAD.of(name)));
        InstanceShape shape;
        try {
            shape = new InstanceShape(p.cores(), p.memoryBytes(), c.get(NETWORK.of(name)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    poolPrefix(name) + "cores/memory/network: " + e.getMessage());
        }
        return new Pool(
                p.id(), limits, shape, p.certifications(), manager(c, name), validation(c, name));
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
                                Options.notNegativeDuration(c, SIMULATED_BOOT_TIME.of(name)),
                                Options.notNegativeDuration(c, SIMULATED_WARM_UP_TIME.of(name)),
                                Options.between(c, SIMULATED_FAILURE_RATE.of(name), 0, 1),
                                Options.between(c, SIMULATED_PRICE.of(name), 0, Double.MAX_VALUE),
                                c.get(SIMULATED_SEED.of(name)));
                case KubernetesSettings.KIND ->
                        new KubernetesSettings(
                                c.get(KUBERNETES_NAMESPACE.of(name)),
                                Options.required(c, KUBERNETES_DEPLOYMENT.of(name)),
                                c.get(KUBERNETES_HPA.of(name)),
                                c.get(KUBERNETES_SCALED_OBJECT.of(name)),
                                c.get(KUBERNETES_PLACEHOLDER_PRIORITY.of(name)),
                                c.get(KUBERNETES_PLACEHOLDER_IMAGE.of(name)));
                case AutoScalingSettings.KIND ->
                        new AutoScalingSettings(
                                Options.required(c, AUTOSCALING_GROUP.of(name)),
                                Options.required(c, AUTOSCALING_REGION.of(name)),
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
                Options.positive(c, VALIDATION_TIMEOUT.of(name)),
                Options.atLeast(c, VALIDATION_ATTEMPTS.of(name), 1),
                Options.notNegativeDuration(c, VALIDATION_RETRY_INTERVAL.of(name)));
    }

    /**
     * The configuration of a settings file and overrides ({@link ConfigLoader}): a pool's keys are
     * valid for the pools {@code allocation.pools} names; every value is checked now, so that a bad
     * one is reported with its key before anything starts.
     */
    public static Configuration load(Path file, Map<String, String> overrides) {
        Configuration c = ConfigLoader.load(file, overrides, OPTIONS, AllocationSettings::poolKey);
        from(c);
        return c;
    }

    /** Null when {@code key} is a setting of a configured pool, else why it is not. */
    private static String poolKey(String key, Map<String, String> values) {
        if (!key.startsWith("allocation.pool.")) {
            return ConfigLoader.unknown(key);
        }
        List<String> configured = poolNames(Configuration.fromMap(values));
        Set<String> suffixes =
                perPool().stream().map(PoolOption::suffix).collect(Collectors.toSet());
        boolean ok =
                configured.stream()
                        .anyMatch(
                                p ->
                                        key.startsWith(poolPrefix(p))
                                                && suffixes.contains(
                                                        key.substring(poolPrefix(p).length())));
        return ok
                ? null
                : "unknown setting "
                        + key
                        + " (a pool's keys are allocation.pool.<name>.<setting>, <name> one of "
                        + POOLS.key()
                        + ": "
                        + configured
                        + ")";
    }
}
