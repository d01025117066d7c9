package dev.foreshadow.jobs.allocation;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.foreshadow.jobs.common.PoolOptions;
import dev.foreshadow.jobs.common.PoolOptions.PoolOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * AllocationJob's own settings ({@code allocation.*}, and per pool under {@code
 * allocation.pool.<name>.} what its manager and warm-up validation need); the pools themselves,
 * their types, shape, bounds and certifications, are {@link PoolOptions}, shared with ShadowJob's
 * planner. It also reads KafkaOptions, HistoryOptions and JobOptions. Key, type, default and
 * description; the README's table lists them.
 */
public final class AllocationOptions {

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

    /** The prefix of pool {@code pool}'s keys. */
    public static String poolPrefix(String pool) {
        return PoolOptions.poolPrefix(pool);
    }

    public static final PoolOption<String> MANAGER =
            PoolOptions.pool(
                    "manager",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "What drives the pool: simulated, kubernetes or autoscaling (required)."));
    public static final PoolOption<Duration> PREPARE_AHEAD =
            PoolOptions.pool(
                    "prepare-ahead",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofMinutes(30))
                                    .withDescription(
                                            "Floors starting within this time are prepared for (placeholder pods, a warm pool); 0 s turns it off."));
    public static final PoolOption<Long> NETWORK =
            PoolOptions.pool(
                    "network-bytes-per-second",
                    k ->
                            k.longType()
                                    .defaultValue(0L)
                                    .withDescription(
                                            "Network of one instance in bytes/s; 0: commands' network needs are not sized against it."));
    public static final PoolOption<Duration> VALIDATION_DEADLINE =
            PoolOptions.pool(
                    "validation.deadline",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofMinutes(5))
                                    .withDescription(
                                            "How long an instance may be warming before it must have passed its validation; else it fails and is replaced."));
    public static final PoolOption<String> VALIDATION_HTTP_GET =
            PoolOptions.pool(
                    "validation.http-get",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Smoke check: a URL to GET, {host} and {instance} standing for the instance's address and id."));
    public static final PoolOption<Integer> VALIDATION_EXPECT_STATUS =
            PoolOptions.pool(
                    "validation.expect-status",
                    k ->
                            k.intType()
                                    .defaultValue(200)
                                    .withDescription("The status the GET must answer."));
    public static final PoolOption<String> VALIDATION_EXPECT_BODY =
            PoolOptions.pool(
                    "validation.expect-body",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Text the GET's answer must contain, if any."));
    public static final PoolOption<List<String>> VALIDATION_COMMAND =
            PoolOptions.pool(
                    "validation.command",
                    k ->
                            k.stringType()
                                    .asList()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Smoke check instead: a command and its arguments (;-separated, {host} and {instance} filled in)."));
    public static final PoolOption<Integer> VALIDATION_EXPECT_EXIT =
            PoolOptions.pool(
                    "validation.expect-exit",
                    k ->
                            k.intType()
                                    .defaultValue(0)
                                    .withDescription("The exit code the command must give."));
    public static final PoolOption<String> VALIDATION_EXPECT_OUTPUT =
            PoolOptions.pool(
                    "validation.expect-output",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Text the command's output must contain, if any."));
    public static final PoolOption<Duration> VALIDATION_TIMEOUT =
            PoolOptions.pool(
                    "validation.timeout",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofSeconds(10))
                                    .withDescription("Longest one smoke check may take."));
    public static final PoolOption<Integer> VALIDATION_ATTEMPTS =
            PoolOptions.pool(
                    "validation.attempts",
                    k ->
                            k.intType()
                                    .defaultValue(3)
                                    .withDescription(
                                            "Smoke checks tried before the warm-up fails (never after the deadline)."));
    public static final PoolOption<Duration> VALIDATION_RETRY_INTERVAL =
            PoolOptions.pool(
                    "validation.retry-interval",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofSeconds(2))
                                    .withDescription(
                                            "Time between two smoke checks of one instance."));

    public static final PoolOption<Duration> SIMULATED_BOOT_TIME =
            PoolOptions.pool(
                    "simulated.boot-time",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofSeconds(120))
                                    .withDescription(
                                            "Simulated pool: how long an instance boots."));
    public static final PoolOption<Duration> SIMULATED_WARM_UP_TIME =
            PoolOptions.pool(
                    "simulated.warm-up-time",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofSeconds(60))
                                    .withDescription(
                                            "Simulated pool: how long it warms up before its readiness probe passes."));
    public static final PoolOption<Double> SIMULATED_FAILURE_RATE =
            PoolOptions.pool(
                    "simulated.failure-rate",
                    k ->
                            k.doubleType()
                                    .defaultValue(0.02)
                                    .withDescription(
                                            "Simulated pool: the share of instances that fail their warm-up's smoke check."));
    public static final PoolOption<Double> SIMULATED_PRICE =
            PoolOptions.pool(
                    "simulated.price-per-hour",
                    k ->
                            k.doubleType()
                                    .defaultValue(0.40)
                                    .withDescription(
                                            "Simulated pool: price of one instance-hour, counted from request to release."));
    public static final PoolOption<Long> SIMULATED_SEED =
            PoolOptions.pool(
                    "simulated.seed",
                    k ->
                            k.longType()
                                    .defaultValue(1L)
                                    .withDescription(
                                            "Simulated pool: the seed that decides which instances fail."));

    public static final PoolOption<String> KUBERNETES_NAMESPACE =
            PoolOptions.pool(
                    "kubernetes.namespace",
                    k ->
                            k.stringType()
                                    .defaultValue("default")
                                    .withDescription("Kubernetes: the Deployment's namespace."));
    public static final PoolOption<String> KUBERNETES_DEPLOYMENT =
            PoolOptions.pool(
                    "kubernetes.deployment",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Kubernetes: the Deployment that is the pool (required); its Service should select foreshadow.dev/serving=true."));
    public static final PoolOption<String> KUBERNETES_HPA =
            PoolOptions.pool(
                    "kubernetes.hpa",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Kubernetes: an HPA whose minReplicas is set to the pool's target (its own scaling keeps reacting on top)."));
    public static final PoolOption<String> KUBERNETES_SCALED_OBJECT =
            PoolOptions.pool(
                    "kubernetes.scaled-object",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "Kubernetes: a KEDA ScaledObject, its minReplicaCount likewise."));
    public static final PoolOption<Integer> KUBERNETES_PLACEHOLDER_PRIORITY =
            PoolOptions.pool(
                    "kubernetes.placeholder-priority",
                    k ->
                            k.intType()
                                    .defaultValue(-1)
                                    .withDescription(
                                            "Kubernetes: priority of the placeholder pods, from -10 to -1 (real pods preempt them; below -10 the Cluster Autoscaler adds no node for them)."));
    public static final PoolOption<String> KUBERNETES_PLACEHOLDER_IMAGE =
            PoolOptions.pool(
                    "kubernetes.placeholder-image",
                    k ->
                            k.stringType()
                                    .defaultValue("registry.k8s.io/pause:3.10")
                                    .withDescription("Kubernetes: the placeholder pods' image."));

    public static final PoolOption<String> AUTOSCALING_GROUP =
            PoolOptions.pool(
                    "autoscaling.group",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "EC2 Auto Scaling: the group that is the pool (required)."));
    public static final PoolOption<String> AUTOSCALING_REGION =
            PoolOptions.pool(
                    "autoscaling.region",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription("EC2 Auto Scaling: its region (required)."));
    public static final PoolOption<String> AUTOSCALING_ENDPOINT =
            PoolOptions.pool(
                    "autoscaling.endpoint",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "EC2 Auto Scaling: an endpoint other than AWS's (an emulator such as moto_server)."));
    public static final PoolOption<String> AUTOSCALING_LIFECYCLE_HOOK =
            PoolOptions.pool(
                    "autoscaling.lifecycle-hook",
                    k ->
                            k.stringType()
                                    .noDefaultValue()
                                    .withDescription(
                                            "EC2 Auto Scaling: the launch hook completed (CONTINUE) only after validation, ABANDON on failure."));
    public static final PoolOption<String> AUTOSCALING_WARM_POOL_STATE =
            PoolOptions.pool(
                    "autoscaling.warm-pool-state",
                    k ->
                            k.stringType()
                                    .defaultValue("Stopped")
                                    .withDescription(
                                            "EC2 Auto Scaling: what the warm pool keeps its instances as: Stopped, Running or Hibernated."));

    private AllocationOptions() {}

    /** Every per-pool option: the shared ones of {@link PoolOptions}, then this job's own. */
    public static List<PoolOption<?>> perPool() {
        List<PoolOption<?>> out = new ArrayList<>(PoolOptions.perPool());
        out.addAll(PoolOptions.perPool(AllocationOptions.class));
        return out;
    }
}
