package dev.foreshadow.connectors.resources.autoscaling;

import dev.foreshadow.connectors.resources.Check;
import dev.foreshadow.connectors.resources.ResourceException;
import dev.foreshadow.connectors.resources.ResourceManager;
import dev.foreshadow.models.lifecycle.InstanceObservation;
import dev.foreshadow.models.lifecycle.InstanceState;
import dev.foreshadow.models.lifecycle.PoolObservation;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;

/**
 * A pool that is one EC2 Auto Scaling group, its instances the pool's.
 *
 * <ul>
 *   <li><b>Scaling</b>: the group's desired capacity; a release terminates the instance and lowers
 *       the desired capacity with it.
 *   <li><b>Lifecycle</b> from the group and the instances' tags: {@code Pending} is PROVISIONING;
 *       waiting at the launch hook ({@code Pending:Wait}) or in service without validation is
 *       WARMING (its readiness probe: the EC2 instance is running and the group finds it healthy);
 *       then the tags foreshadow writes: {@value #VALIDATED} true (READY) or false (FAILED),
 *       {@value #SERVING} (IN_SERVICE), {@value #DRAINING} (DRAINING).
 *   <li><b>The launch hook</b> is completed only after validation: {@code CONTINUE} when a
 *       validated instance is put in service, {@code ABANDON} when it failed ({@link
 *       LifecycleActions}).
 *   <li><b>Warm pool</b> ({@link #prepare}): its minimum size is the headroom for capacity expected
 *       soon, instances initialised ahead and kept {@code Stopped} (or as configured); they are not
 *       the pool's capacity until the group takes them in.
 * </ul>
 */
final class AutoScalingResourceManager implements ResourceManager {

    static final String VALIDATED = "foreshadow:validated";
    static final String VALIDATION = "foreshadow:validation";
    static final String SERVING = "foreshadow:serving";
    static final String DRAINING = "foreshadow:draining";

    /** States in which an instance is leaving the group, or not in it. */
    private static final Set<LifecycleState> GONE =
            Set.of(
                    LifecycleState.TERMINATING,
                    LifecycleState.TERMINATING_WAIT,
                    LifecycleState.TERMINATING_PROCEED,
                    LifecycleState.TERMINATED,
                    LifecycleState.DETACHING,
                    LifecycleState.DETACHED,
                    LifecycleState.ENTERING_STANDBY,
                    LifecycleState.STANDBY);

    private final AutoScalingClient asg;
    private final Ec2Client ec2;
    private final LifecycleActions hooks;
    private final AutoScalingSettings settings;
    private final InstantSource clock;
    private final boolean ownsClients;

    AutoScalingResourceManager(
            AutoScalingClient asg,
            Ec2Client ec2,
            LifecycleActions hooks,
            AutoScalingSettings settings,
            InstantSource clock,
            boolean ownsClients) {
        this.asg = asg;
        this.ec2 = ec2;
        this.hooks = hooks;
        this.settings = settings;
        this.clock = clock;
        this.ownsClients = ownsClients;
    }

    @Override
    public InstantSource clock() {
        return clock;
    }

    @Override
    public PoolObservation observe() throws ResourceException {
        return call(
                "read",
                () -> {
                    AutoScalingGroup g = group();
                    List<Instance> live = live(g);
                    Map<String, Map<String, String>> tags = tags(live);
                    Map<String, String> ec2States = ec2States(live);
                    List<InstanceObservation> seen = new ArrayList<>();
                    for (Instance i : live) {
                        seen.add(
                                observation(
                                        i, tags.getOrDefault(i.instanceId(), Map.of()), ec2States));
                    }
                    return PoolObservation.of(
                            settings.group(),
                            clock.instant(),
                            Math.max(0, g.desiredCapacity() - live.size()),
                            0,
                            seen);
                });
    }

    @Override
    public void request(int n) throws ResourceException {
        call(
                "scale up",
                () -> {
                    AutoScalingGroup g = group();
                    int desired = g.desiredCapacity() + n;
                    if (desired > g.maxSize()) {
                        throw new ResourceException(
                                "group "
                                        + settings.group()
                                        + " cannot grow to "
                                        + desired
                                        + ": its max size is "
                                        + g.maxSize());
                    }
                    asg.setDesiredCapacity(
                            r ->
                                    r.autoScalingGroupName(settings.group())
                                            .desiredCapacity(desired)
                                            .honorCooldown(false));
                    return null;
                });
    }

    @Override
    public Check readiness(String instanceId) throws ResourceException {
        return call(
                "read instance of",
                () -> {
                    Instance i = instance(instanceId);
                    String state = ec2States(List.of(i)).get(instanceId);
                    if (!"running".equals(state)) {
                        return Check.failed("instance " + instanceId + " is " + state);
                    }
                    if (!"Healthy".equalsIgnoreCase(i.healthStatus())) {
                        return Check.failed("instance " + instanceId + " is " + i.healthStatus());
                    }
                    return Check.passed("instance " + instanceId + " is running and healthy");
                });
    }

    @Override
    public String host(String instanceId) throws ResourceException {
        return call(
                "read instance of",
                () ->
                        ec2
                                .describeInstances(r -> r.instanceIds(instanceId))
                                .reservations()
                                .stream()
                                .flatMap(res -> res.instances().stream())
                                .map(
                                        software.amazon.awssdk.services.ec2.model.Instance
                                                ::privateIpAddress)
                                .findFirst()
                                .orElse(null));
    }

    /** Tags the outcome; a failed instance's launch hook is completed with ABANDON. */
    @Override
    public void recordValidation(String instanceId, Check outcome) throws ResourceException {
        tag(
                instanceId,
                Map.of(
                        VALIDATED,
                        Boolean.toString(outcome.passed()),
                        VALIDATION,
                        abbreviate(outcome.detail())));
        if (!outcome.passed()) {
            completeHook(instanceId, LifecycleActions.ABANDON);
        }
    }

    /** Completes the launch hook with CONTINUE, then tags the instance serving. */
    @Override
    public void putInService(String instanceId) throws ResourceException {
        completeHook(instanceId, LifecycleActions.CONTINUE);
        tag(instanceId, Map.of(SERVING, "true"));
    }

    @Override
    public void drain(String instanceId) throws ResourceException {
        call(
                "drain instance of",
                () -> {
                    ec2.deleteTags(
                            r -> r.resources(instanceId).tags(Tag.builder().key(SERVING).build()));
                    return null;
                });
        tag(instanceId, Map.of(DRAINING, "true"));
    }

    /** Terminates the instance and lowers the desired capacity; once: a repeat changes nothing. */
    @Override
    public void release(String instanceId) throws ResourceException {
        call(
                "release instance of",
                () -> {
                    Instance i =
                            group().instances().stream()
                                    .filter(x -> x.instanceId().equals(instanceId))
                                    .findFirst()
                                    .orElse(null);
                    if (i == null || GONE.contains(i.lifecycleState())) {
                        return null;
                    }
                    asg.terminateInstanceInAutoScalingGroup(
                            r -> r.instanceId(instanceId).shouldDecrementDesiredCapacity(true));
                    return null;
                });
    }

    /** Sets the warm pool's minimum size to {@code headroom} pre-initialised instances. */
    @Override
    public String prepare(int headroom) throws ResourceException {
        return call(
                "set the warm pool of",
                () -> {
                    asg.putWarmPool(
                            r ->
                                    r.autoScalingGroupName(settings.group())
                                            .minSize(headroom)
                                            .poolState(settings.warmPoolState()));
                    return "warm pool of "
                            + headroom
                            + " pre-initialised instances ("
                            + settings.warmPoolState()
                            + ")";
                });
    }

    @Override
    public void close() {
        if (ownsClients) {
            asg.close();
            ec2.close();
        }
    }

    private InstanceObservation observation(
            Instance i, Map<String, String> tags, Map<String, String> ec2States) {
        String validated = tags.get(VALIDATED);
        InstanceState state;
        if ("false".equals(validated)) {
            state = InstanceState.FAILED;
        } else if (tags.containsKey(DRAINING)) {
            state = InstanceState.DRAINING;
        } else if (tags.containsKey(SERVING)) {
            state = InstanceState.IN_SERVICE;
        } else if ("true".equals(validated)) {
            state = InstanceState.READY;
        } else if (i.lifecycleState() == LifecycleState.PENDING) {
            state = InstanceState.PROVISIONING;
        } else {
            state = InstanceState.WARMING; // at the launch hook, or in service but not validated
        }
        boolean ready =
                "running".equals(ec2States.get(i.instanceId()))
                        && "Healthy".equalsIgnoreCase(i.healthStatus());
        return new InstanceObservation(i.instanceId(), state, ready, false, tags.get(VALIDATION));
    }

    private void completeHook(String instanceId, String result) throws ResourceException {
        if (settings.lifecycleHook() != null) {
            hooks.complete(settings.group(), settings.lifecycleHook(), instanceId, result);
        }
    }

    private AutoScalingGroup group() throws ResourceException {
        List<AutoScalingGroup> groups =
                asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames(settings.group()))
                        .autoScalingGroups();
        if (groups.isEmpty()) {
            throw new ResourceException("Auto Scaling group " + settings.group() + " not found");
        }
        return groups.get(0);
    }

    private Instance instance(String instanceId) throws ResourceException {
        return group().instances().stream()
                .filter(i -> i.instanceId().equals(instanceId))
                .findFirst()
                .orElseThrow(
                        () ->
                                new ResourceException(
                                        "group "
                                                + settings.group()
                                                + " has no instance "
                                                + instanceId));
    }

    /** The group's instances that are, or are becoming, its capacity (not the warm pool's). */
    private static List<Instance> live(AutoScalingGroup g) {
        return g.instances().stream()
                .filter(i -> !GONE.contains(i.lifecycleState()))
                .filter(i -> !i.lifecycleStateAsString().startsWith("Warmed"))
                .toList();
    }

    private Map<String, Map<String, String>> tags(List<Instance> instances) {
        Map<String, Map<String, String>> out = new HashMap<>();
        if (instances.isEmpty()) {
            return out;
        }
        List<String> ids = instances.stream().map(Instance::instanceId).toList();
        for (TagDescription t :
                ec2.describeTags(
                                r ->
                                        r.filters(
                                                Filter.builder()
                                                        .name("resource-id")
                                                        .values(ids)
                                                        .build()))
                        .tags()) {
            out.computeIfAbsent(t.resourceId(), k -> new HashMap<>()).put(t.key(), t.value());
        }
        return out;
    }

    private Map<String, String> ec2States(List<Instance> instances) {
        Map<String, String> out = new HashMap<>();
        if (instances.isEmpty()) {
            return out;
        }
        List<String> ids = instances.stream().map(Instance::instanceId).toList();
        for (Reservation res : ec2.describeInstances(r -> r.instanceIds(ids)).reservations()) {
            res.instances().forEach(i -> out.put(i.instanceId(), i.state().nameAsString()));
        }
        return out;
    }

    private void tag(String instanceId, Map<String, String> values) throws ResourceException {
        call(
                "tag instance of",
                () -> {
                    ec2.createTags(
                            r ->
                                    r.resources(instanceId)
                                            .tags(
                                                    values.entrySet().stream()
                                                            .map(
                                                                    e ->
                                                                            Tag.builder()
                                                                                    .key(e.getKey())
                                                                                    .value(
                                                                                            e
                                                                                                    .getValue())
                                                                                    .build())
                                                            .toList()));
                    return null;
                });
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 255 ? s : s.substring(0, 252) + "...";
    }

    private interface Body<T> {
        T run() throws ResourceException;
    }

    private <T> T call(String what, Body<T> body) throws ResourceException {
        try {
            return body.run();
        } catch (SdkException e) {
            throw new ResourceException(
                    "cannot "
                            + what
                            + " Auto Scaling group "
                            + settings.group()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
