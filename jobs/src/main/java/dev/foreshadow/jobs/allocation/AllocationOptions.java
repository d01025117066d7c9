package dev.foreshadow.jobs.allocation;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;

/**
 * AllocationJob's own settings ({@code allocation.*}, one group of keys per pool under {@code
 * allocation.pool.<name>.}); it also reads KafkaOptions, HistoryOptions and JobOptions. Key, type,
 * default and description; the README's table lists them.
 */
public final class AllocationOptions {

    public static final ConfigOption<List<String>> POOLS =
            key("allocation.pools")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "The pools AllocationJob drives (;-separated names, as commands name them); each is configured under allocation.pool.<name>.");
    public static final ConfigOption<Duration> POLL_INTERVAL =
            key("allocation.poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "How often each pool's manager is asked what the pool has; every decision is made on such an observation.");
    public static final ConfigOption<Duration> CALL_TIMEOUT =
            key("allocation.call-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "Longest a call to a pool's manager may take, its retries included; then it is recorded as failed and made again later.");
    public static final ConfigOption<Integer> CALL_RETRIES =
            key("allocation.call-retries")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Retries of a failed call to a pool's manager, with exponential backoff.");
    public static final ConfigOption<Duration> RETRY_BACKOFF =
            key("allocation.retry-backoff")
                    .durationType()
                    .defaultValue(Duration.ofMillis(500))
                    .withDescription("The first retry's delay; each next one doubles, up to 30 s.");
    public static final ConfigOption<Integer> ASYNC_CAPACITY =
            key("allocation.async-capacity")
                    .intType()
                    .defaultValue(32)
                    .withDescription(
                            "Calls to the managers in flight at once per subtask; beyond it the stream waits (back pressure), the operator never blocks.");
    public static final ConfigOption<String> GROUP_ID =
            key("allocation.group-id")
                    .stringType()
                    .defaultValue("foreshadow-allocation")
                    .withDescription("Consumer group of the allocation-commands source.");

    /** One setting of every pool, {@code allocation.pool.<name>.<suffix>}. */
    public static final class PoolOption<T> {
        private final String suffix;
        private final Function<String, ConfigOption<T>> make;

        private PoolOption(String suffix, Function<String, ConfigOption<T>> make) {
            this.suffix = suffix;
            this.make = make;
        }

        /** The option of pool {@code pool}. */
        public ConfigOption<T> of(String pool) {
            return make.apply(pool);
        }

        /** The key's last part, after {@code allocation.pool.<name>.}. */
        public String suffix() {
            return suffix;
        }
    }

    /** The prefix of pool {@code pool}'s keys. */
    public static String poolPrefix(String pool) {
        return "allocation.pool." + pool + ".";
    }

    private static <T> PoolOption<T> pool(
            String suffix,
            Function<org.apache.flink.configuration.ConfigOptions.OptionBuilder, ConfigOption<T>>
                    type) {
        return new PoolOption<>(suffix, p -> type.apply(key(poolPrefix(p) + suffix)));
    }

    public static final PoolOption<String> MANAGER =
            pool(
                    "manager",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "What drives the pool: simulated, kubernetes or autoscaling (required)."));
    public static final PoolOption<Integer> MIN =
            pool(
                    "min",
                    k ->
                            k.intType()
                                    .defaultValue(0)
                                    .withDescription("Instances the pool always keeps."));
    public static final PoolOption<Integer> MAX =
            pool(
                    "max",
                    k ->
                            k.intType()
                                    .defaultValue(10)
                                    .withDescription(
                                            "Instances the pool never exceeds; a floor above it is clamped (and says so)."));
    public static final PoolOption<Duration> COOLDOWN =
            pool(
                    "cooldown",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofMinutes(5))
                                    .withDescription(
                                            "How long after the pool's target last changed capacity above it is given back."));
    public static final PoolOption<Duration> LEAD_TIME =
            pool(
                    "lead-time",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofMinutes(5))
                                    .withDescription(
                                            "How long before a command's readyBy its capacity is requested: boot, warm-up and validation, with a margin."));
    public static final PoolOption<Duration> PREPARE_AHEAD =
            pool(
                    "prepare-ahead",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofMinutes(30))
                                    .withDescription(
                                            "Floors starting within this time are prepared for (placeholder pods, a warm pool); 0 s turns it off."));
    public static final PoolOption<Double> CORES =
            pool(
                    "cores",
                    k ->
                            k.doubleType()
                                    .defaultValue(8.0)
                                    .withDescription("Cores of one instance."));
    public static final PoolOption<MemorySize> MEMORY =
            pool(
                    "memory",
                    k ->
                            k.memoryType()
                                    .defaultValue(MemorySize.parse("32 gb"))
                                    .withDescription("Memory of one instance (e.g. 32 gb)."));
    public static final PoolOption<Long> NETWORK =
            pool(
                    "network-bytes-per-second",
                    k ->
                            k.longType()
                                    .defaultValue(0L)
                                    .withDescription(
                                            "Network of one instance in bytes/s; 0: commands' network needs are not sized against it."));
    public static final PoolOption<List<String>> CERTIFICATIONS =
            pool(
                    "certifications",
                    k ->
                            k.stringType()
                                    .asList()
                                    .defaultValues()
                                    .withDescription(
                                            "Certifications the pool holds (;-separated); a command asking for another is dead-lettered."));
    public static final PoolOption<Duration> VALIDATION_DEADLINE =
            pool(
                    "validation.deadline",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofMinutes(5))
                                    .withDescription(
                                            "How long an instance may be warming before it must have passed its validation; else it fails and is replaced."));
    public static final PoolOption<String> VALIDATION_HTTP_GET =
            pool(
                    "validation.http-get",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Smoke check: a URL to GET, {host} and {instance} standing for the instance's address and id."));
    public static final PoolOption<Integer> VALIDATION_EXPECT_STATUS =
            pool(
                    "validation.expect-status",
                    k ->
                            k.intType()
                                    .defaultValue(200)
                                    .withDescription("The status the GET must answer."));
    public static final PoolOption<String> VALIDATION_EXPECT_BODY =
            pool(
                    "validation.expect-body",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Text the GET's answer must contain, if any."));
    public static final PoolOption<List<String>> VALIDATION_COMMAND =
            pool(
                    "validation.command",
                    k ->
                            k.stringType()
                                    .asList()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Smoke check instead: a command and its arguments (;-separated, {host} and {instance} filled in)."));
    public static final PoolOption<Integer> VALIDATION_EXPECT_EXIT =
            pool(
                    "validation.expect-exit",
                    k ->
                            k.intType()
                                    .defaultValue(0)
                                    .withDescription("The exit code the command must give."));
    public static final PoolOption<String> VALIDATION_EXPECT_OUTPUT =
            pool(
                    "validation.expect-output",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Text the command's output must contain, if any."));
    public static final PoolOption<Duration> VALIDATION_TIMEOUT =
            pool(
                    "validation.timeout",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofSeconds(10))
                                    .withDescription("Longest one smoke check may take."));
    public static final PoolOption<Integer> VALIDATION_ATTEMPTS =
            pool(
                    "validation.attempts",
                    k ->
                            k.intType()
                                    .defaultValue(3)
                                    .withDescription(
                                            "Smoke checks tried before the warm-up fails (never after the deadline)."));
    public static final PoolOption<Duration> VALIDATION_RETRY_INTERVAL =
            pool(
                    "validation.retry-interval",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofSeconds(2))
                                    .withDescription(
                                            "Time between two smoke checks of one instance."));

    public static final PoolOption<Duration> SIMULATED_BOOT_TIME =
            pool(
                    "simulated.boot-time",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofSeconds(120))
                                    .withDescription(
                                            "Simulated pool: how long an instance boots."));
    public static final PoolOption<Duration> SIMULATED_WARM_UP_TIME =
            pool(
                    "simulated.warm-up-time",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofSeconds(60))
                                    .withDescription(
                                            "Simulated pool: how long it warms up before its readiness probe passes."));
    public static final PoolOption<Double> SIMULATED_FAILURE_RATE =
            pool(
                    "simulated.failure-rate",
                    k ->
                            k.doubleType()
                                    .defaultValue(0.02)
                                    .withDescription(
                                            "Simulated pool: the share of instances that fail their warm-up's smoke check."));
    public static final PoolOption<Double> SIMULATED_PRICE =
            pool(
                    "simulated.price-per-hour",
                    k ->
                            k.doubleType()
                                    .defaultValue(0.40)
                                    .withDescription(
                                            "Simulated pool: price of one instance-hour, counted from request to release."));
    public static final PoolOption<Long> SIMULATED_SEED =
            pool(
                    "simulated.seed",
                    k ->
                            k.longType()
                                    .defaultValue(1L)
                                    .withDescription(
                                            "Simulated pool: the seed that decides which instances fail."));

    public static final PoolOption<String> KUBERNETES_NAMESPACE =
            pool(
                    "kubernetes.namespace",
                    k ->
                            k.stringType()
                                    .defaultValue("default")
                                    .withDescription("Kubernetes: the Deployment's namespace."));
    public static final PoolOption<String> KUBERNETES_DEPLOYMENT =
            pool(
                    "kubernetes.deployment",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Kubernetes: the Deployment that is the pool (required); its Service should select foreshadow.dev/serving=true."));
    public static final PoolOption<String> KUBERNETES_HPA =
            pool(
                    "kubernetes.hpa",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Kubernetes: an HPA whose minReplicas is set to the pool's target (its own scaling keeps reacting on top)."));
    public static final PoolOption<String> KUBERNETES_SCALED_OBJECT =
            pool(
                    "kubernetes.scaled-object",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Kubernetes: a KEDA ScaledObject, its minReplicaCount likewise."));
    public static final PoolOption<Integer> KUBERNETES_PLACEHOLDER_PRIORITY =
            pool(
                    "kubernetes.placeholder-priority",
                    k ->
                            k.intType()
                                    .defaultValue(-1)
                                    .withDescription(
                                            "Kubernetes: priority of the placeholder pods, from -10 to -1 (real pods preempt them; below -10 the Cluster Autoscaler adds no node for them)."));
    public static final PoolOption<String> KUBERNETES_PLACEHOLDER_IMAGE =
            pool(
                    "kubernetes.placeholder-image",
                    k ->
                            k.stringType()
                                    .defaultValue("registry.k8s.io/pause:3.10")
                                    .withDescription("Kubernetes: the placeholder pods' image."));

    public static final PoolOption<String> AUTOSCALING_GROUP =
            pool(
                    "autoscaling.group",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "EC2 Auto Scaling: the group that is the pool (required)."));
    public static final PoolOption<String> AUTOSCALING_REGION =
            pool(
                    "autoscaling.region",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription("EC2 Auto Scaling: its region (required)."));
    public static final PoolOption<String> AUTOSCALING_ENDPOINT =
            pool(
                    "autoscaling.endpoint",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "EC2 Auto Scaling: an endpoint other than AWS's (an emulator such as moto_server)."));
    public static final PoolOption<String> AUTOSCALING_LIFECYCLE_HOOK =
            pool(
                    "autoscaling.lifecycle-hook",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "EC2 Auto Scaling: the launch hook completed (CONTINUE) only after validation, ABANDON on failure."));
    public static final PoolOption<String> AUTOSCALING_WARM_POOL_STATE =
            pool(
                    "autoscaling.warm-pool-state",
                    k ->
                            k.stringType()
                                    .defaultValue("Stopped")
                                    .withDescription(
                                            "EC2 Auto Scaling: what the warm pool keeps its instances as: Stopped, Running or Hibernated."));

    private AllocationOptions() {}

    /** Every per-pool option, in declaration order. */
    public static List<PoolOption<?>> perPool() {
        List<PoolOption<?>> out = new java.util.ArrayList<>();
        for (java.lang.reflect.Field f : AllocationOptions.class.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())
                    && f.getType() == PoolOption.class) {
                try {
                    out.add((PoolOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }
}
