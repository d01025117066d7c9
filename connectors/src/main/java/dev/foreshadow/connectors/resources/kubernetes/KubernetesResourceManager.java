package dev.foreshadow.connectors.resources.kubernetes;

import dev.foreshadow.connectors.resources.Check;
import dev.foreshadow.connectors.resources.ResourceException;
import dev.foreshadow.connectors.resources.ResourceManager;
import dev.foreshadow.models.lifecycle.InstanceObservation;
import dev.foreshadow.models.lifecycle.InstanceShape;
import dev.foreshadow.models.lifecycle.InstanceState;
import dev.foreshadow.models.lifecycle.PoolObservation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A pool that is one Kubernetes Deployment, its pods the instances.
 *
 * <ul>
 *   <li><b>Scaling</b>: without an autoscaler, the Deployment's replicas; with an HPA (or a KEDA
 *       ScaledObject) its minReplicas (minReplicaCount) is the pool's floor, so the cluster's own
 *       autoscaler keeps reacting on top, and the pods it keeps above the floor are reported as
 *       {@code autoscaled}, never scaled in by foreshadow.
 *   <li><b>Lifecycle</b> from the pods: unscheduled is REQUESTED, scheduled but not running
 *       PROVISIONING, running WARMING (its readiness probe is the pod's Ready condition), then the
 *       labels foreshadow writes: {@value #VALIDATED} true (READY) or false (FAILED), {@value
 *       #SERVING} (IN_SERVICE: the Service should select on it, so only validated pods get
 *       traffic), {@value #DRAINING} (DRAINING). A released pod gets the lowest {@value
 *       #DELETION_COST}, so the ReplicaSet removes it first when the replicas go down.
 *   <li><b>Pre-provisioned nodes</b> ({@link #prepare}): a Deployment of pause pods of the
 *       instance's shape at a negative PriorityClass, the cluster-overprovisioning pattern: real
 *       pods preempt them at once, and the Cluster Autoscaler adds nodes for them ahead of need.
 * </ul>
 */
final class KubernetesResourceManager implements ResourceManager {

    static final String VALIDATED = "foreshadow.dev/validated";
    static final String VALIDATION = "foreshadow.dev/validation";
    static final String SERVING = "foreshadow.dev/serving";
    static final String DRAINING = "foreshadow.dev/draining";
    static final String RELEASED = "foreshadow.dev/released";
    static final String PLACEHOLDER_FOR = "foreshadow.dev/placeholder-for";
    static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    static final String PLACEHOLDER_CLASS = "foreshadow-placeholder";
    private static final ResourceDefinitionContext SCALED_OBJECT =
            new ResourceDefinitionContext.Builder()
                    .withGroup("keda.sh")
                    .withVersion("v1alpha1")
                    .withKind("ScaledObject")
                    .withPlural("scaledobjects")
                    .withNamespaced(true)
                    .build();

    private final KubernetesClient client;
    private final KubernetesSettings settings;
    private final InstanceShape shape;
    private final InstantSource clock;
    private final boolean ownsClient;

    KubernetesResourceManager(
            KubernetesClient client,
            KubernetesSettings settings,
            InstanceShape shape,
            InstantSource clock,
            boolean ownsClient) {
        this.client = client;
        this.settings = settings;
        this.shape = shape;
        this.clock = clock;
        this.ownsClient = ownsClient;
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
                    Deployment d = deployment();
                    int replicas = replicas(d);
                    List<InstanceObservation> seen = new ArrayList<>();
                    int live = 0;
                    int released = 0;
                    for (Pod p : pods(d)) {
                        if (p.getMetadata().getDeletionTimestamp() != null) {
                            continue;
                        }
                        live++;
                        if (label(p, RELEASED) != null) {
                            released++;
                            continue; // given back: gone for the pool, though the pod ends later
                        }
                        seen.add(observation(p));
                    }
                    int autoscaled = 0;
                    Integer minimum = minimum();
                    if (minimum != null) {
                        autoscaled = Math.max(0, replicas - released - minimum);
                    }
                    return PoolObservation.of(
                            settings.deployment(),
                            clock.instant(),
                            Math.max(0, replicas - live),
                            autoscaled,
                            seen);
                });
    }

    /** With an HPA or ScaledObject, the floor is its minimum; else the replicas grow. */
    @Override
    public Provisioned provision(int target) throws ResourceException {
        if (settings.hpa() == null && settings.scaledObject() == null) {
            return ResourceManager.super.provision(target);
        }
        int had = observe().active();
        call(
                "set the minimum of",
                () -> {
                    setMinimum(target);
                    Deployment d = deployment();
                    if (replicas(d) < target) {
                        setReplicas(target);
                    }
                    return null;
                });
        return new Provisioned(Math.max(0, target - had), had);
    }

    @Override
    public void request(int n) throws ResourceException {
        call(
                "scale up",
                () -> {
                    setReplicas(replicas(deployment()) + n);
                    return null;
                });
    }

    @Override
    public Check readiness(String instanceId) throws ResourceException {
        return call(
                "read pod of",
                () -> {
                    Pod p = pod(instanceId);
                    boolean ready =
                            p.getStatus() != null
                                    && p.getStatus().getConditions() != null
                                    && p.getStatus().getConditions().stream()
                                            .anyMatch(
                                                    c ->
                                                            "Ready".equals(c.getType())
                                                                    && "True"
                                                                            .equals(c.getStatus()));
                    return ready
                            ? Check.passed("pod " + instanceId + " is Ready")
                            : Check.failed(
                                    "pod " + instanceId + " is not Ready (" + phase(p) + ")");
                });
    }

    @Override
    public String host(String instanceId) throws ResourceException {
        return call(
                "read pod of",
                () -> {
                    Pod p = pod(instanceId);
                    return p.getStatus() == null ? null : p.getStatus().getPodIP();
                });
    }

    @Override
    public void recordValidation(String instanceId, Check outcome) throws ResourceException {
        editPod(
                instanceId,
                p ->
                        new PodBuilder(p)
                                .editMetadata()
                                .addToLabels(VALIDATED, Boolean.toString(outcome.passed()))
                                .addToAnnotations(VALIDATION, abbreviate(outcome.detail()))
                                .endMetadata()
                                .build());
    }

    @Override
    public void putInService(String instanceId) throws ResourceException {
        editPod(
                instanceId,
                p ->
                        new PodBuilder(p)
                                .editMetadata()
                                .addToLabels(SERVING, "true")
                                .endMetadata()
                                .build());
    }

    @Override
    public void drain(String instanceId) throws ResourceException {
        editPod(
                instanceId,
                p ->
                        new PodBuilder(p)
                                .editMetadata()
                                .removeFromLabels(SERVING)
                                .addToLabels(DRAINING, "true")
                                .addToAnnotations(DELETION_COST, "-1000")
                                .endMetadata()
                                .build());
    }

    /**
     * Marks the pod released (once: a repeated release changes nothing) and lowers the replicas, or
     * with an autoscaler its minimum, by one; the ReplicaSet removes the pod of lowest deletion
     * cost.
     */
    @Override
    public void release(String instanceId) throws ResourceException {
        call(
                "release",
                () -> {
                    Pod p = pod(instanceId);
                    if (label(p, RELEASED) != null) {
                        return null;
                    }
                    editPod(
                            instanceId,
                            q ->
                                    new PodBuilder(q)
                                            .editMetadata()
                                            .addToLabels(RELEASED, "true")
                                            .addToAnnotations(DELETION_COST, "-1000")
                                            .endMetadata()
                                            .build());
                    Integer minimum = minimum();
                    if (minimum != null) {
                        setMinimum(minimum - 1);
                    } else {
                        setReplicas(Math.max(0, replicas(deployment()) - 1));
                    }
                    return null;
                });
    }

    /**
     * Keeps {@code headroom} placeholder pods of the instance's shape at the placeholder priority,
     * creating the PriorityClass and their Deployment when missing.
     */
    @Override
    public String prepare(int headroom) throws ResourceException {
        return call(
                "prepare placeholders for",
                () -> {
                    client.resource(
                                    new PriorityClassBuilder()
                                            .withNewMetadata()
                                            .withName(PLACEHOLDER_CLASS)
                                            .endMetadata()
                                            .withValue(settings.placeholderPriority())
                                            .withGlobalDefault(false)
                                            .withPreemptionPolicy("Never")
                                            .withDescription(
                                                    "foreshadow placeholder pods: preempted by any real pod;"
                                                            + " the Cluster Autoscaler adds nodes for them")
                                            .build())
                            .createOr(NonDeletingOperation::update);
                    String name = settings.deployment() + "-placeholder";
                    Map<String, String> labels = Map.of(PLACEHOLDER_FOR, settings.deployment());
                    Map<String, Quantity> requests =
                            Map.of(
                                    "cpu", new Quantity(Double.toString(shape.cores())),
                                    "memory", new Quantity(Long.toString(shape.memoryBytes())));
                    client.resource(
                                    new DeploymentBuilder()
                                            .withNewMetadata()
                                            .withName(name)
                                            .withNamespace(settings.namespace())
                                            .withLabels(labels)
                                            .endMetadata()
                                            .withNewSpec()
                                            .withReplicas(headroom)
                                            .withNewSelector()
                                            .withMatchLabels(labels)
                                            .endSelector()
                                            .withNewTemplate()
                                            .withNewMetadata()
                                            .withLabels(labels)
                                            .endMetadata()
                                            .withNewSpec()
                                            .withPriorityClassName(PLACEHOLDER_CLASS)
                                            .withTerminationGracePeriodSeconds(0L)
                                            .addNewContainer()
                                            .withName("placeholder")
                                            .withImage(settings.placeholderImage())
                                            .withNewResources()
                                            .withRequests(requests)
                                            .endResources()
                                            .endContainer()
                                            .endSpec()
                                            .endTemplate()
                                            .endSpec()
                                            .build())
                            .createOr(NonDeletingOperation::update);
                    return headroom
                            + " placeholder pods of "
                            + shape.cores()
                            + " cores at priority "
                            + settings.placeholderPriority();
                });
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    private InstanceObservation observation(Pod p) {
        String id = p.getMetadata().getName();
        String validated = label(p, VALIDATED);
        String detail =
                p.getMetadata().getAnnotations() == null
                        ? null
                        : p.getMetadata().getAnnotations().get(VALIDATION);
        String phase = phase(p);
        InstanceState state;
        if ("false".equals(validated) || "Failed".equals(phase) || "Succeeded".equals(phase)) {
            state = InstanceState.FAILED;
            if (detail == null) {
                detail = "pod " + phase;
            }
        } else if (label(p, DRAINING) != null) {
            state = InstanceState.DRAINING;
        } else if (label(p, SERVING) != null) {
            state = InstanceState.IN_SERVICE;
        } else if ("true".equals(validated)) {
            state = InstanceState.READY;
        } else if ("Running".equals(phase)) {
            state = InstanceState.WARMING;
        } else if (p.getSpec() != null && p.getSpec().getNodeName() != null) {
            state = InstanceState.PROVISIONING;
        } else {
            state = InstanceState.REQUESTED; // waiting for a node
        }
        boolean ready =
                p.getStatus() != null
                        && p.getStatus().getConditions() != null
                        && p.getStatus().getConditions().stream()
                                .anyMatch(
                                        c ->
                                                "Ready".equals(c.getType())
                                                        && "True".equals(c.getStatus()));
        return new InstanceObservation(id, state, ready, false, detail);
    }

    private Deployment deployment() throws ResourceException {
        Deployment d =
                client.apps()
                        .deployments()
                        .inNamespace(settings.namespace())
                        .withName(settings.deployment())
                        .get();
        if (d == null) {
            throw new ResourceException(
                    "deployment "
                            + settings.namespace()
                            + "/"
                            + settings.deployment()
                            + " not found");
        }
        return d;
    }

    private List<Pod> pods(Deployment d) {
        Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
        return client
                .pods()
                .inNamespace(settings.namespace())
                .withLabels(selector)
                .list()
                .getItems()
                .stream()
                .filter(p -> label(p, PLACEHOLDER_FOR) == null)
                .toList();
    }

    private Pod pod(String name) throws ResourceException {
        Pod p = client.pods().inNamespace(settings.namespace()).withName(name).get();
        if (p == null) {
            throw new ResourceException("pod " + settings.namespace() + "/" + name + " not found");
        }
        return p;
    }

    private void editPod(String name, UnaryOperator<Pod> edit) throws ResourceException {
        call(
                "label pod of",
                () -> {
                    pod(name);
                    client.pods().inNamespace(settings.namespace()).withName(name).edit(edit);
                    return null;
                });
    }

    private static int replicas(Deployment d) {
        Integer r = d.getSpec().getReplicas();
        return r == null ? 1 : r;
    }

    private void setReplicas(int replicas) {
        client.apps()
                .deployments()
                .inNamespace(settings.namespace())
                .withName(settings.deployment())
                .edit(
                        d ->
                                new DeploymentBuilder(d)
                                        .editSpec()
                                        .withReplicas(replicas)
                                        .endSpec()
                                        .build());
    }

    /** The autoscaler's minimum, or null when the pool has none. */
    private Integer minimum() throws ResourceException {
        if (settings.hpa() != null) {
            HorizontalPodAutoscaler h = hpa().get();
            if (h == null) {
                throw new ResourceException(
                        "HPA " + settings.namespace() + "/" + settings.hpa() + " not found");
            }
            Integer min = h.getSpec().getMinReplicas();
            return min == null ? 1 : min;
        }
        if (settings.scaledObject() != null) {
            GenericKubernetesResource so = scaledObject().get();
            if (so == null) {
                throw new ResourceException(
                        "ScaledObject "
                                + settings.namespace()
                                + "/"
                                + settings.scaledObject()
                                + " not found");
            }
            Object spec = so.getAdditionalProperties().get("spec");
            Object min = spec instanceof Map<?, ?> m ? m.get("minReplicaCount") : null;
            return min instanceof Number n ? n.intValue() : 0;
        }
        return null;
    }

    /** Sets the autoscaler's minimum (an HPA's is at least 1, a ScaledObject's at least 0). */
    private void setMinimum(int floor) {
        if (settings.hpa() != null) {
            int min = Math.max(1, floor);
            hpa().edit(
                            h ->
                                    new HorizontalPodAutoscalerBuilder(h)
                                            .editSpec()
                                            .withMinReplicas(min)
                                            .endSpec()
                                            .build());
        } else {
            int min = Math.max(0, floor);
            scaledObject()
                    .edit(
                            so -> {
                                @SuppressWarnings("unchecked")
                                Map<String, Object> spec =
                                        (Map<String, Object>)
                                                so.getAdditionalProperties().get("spec");
                                spec.put("minReplicaCount", min);
                                return so;
                            });
        }
    }

    private Resource<HorizontalPodAutoscaler> hpa() {
        return client.autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(settings.namespace())
                .withName(settings.hpa());
    }

    private Resource<GenericKubernetesResource> scaledObject() {
        return client.genericKubernetesResources(SCALED_OBJECT)
                .inNamespace(settings.namespace())
                .withName(settings.scaledObject());
    }

    private static String label(Pod p, String key) {
        Map<String, String> labels = p.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    private static String phase(Pod p) {
        return p.getStatus() == null || p.getStatus().getPhase() == null
                ? "Pending"
                : p.getStatus().getPhase();
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 256 ? s : s.substring(0, 256) + "...";
    }

    private interface Body<T> {
        T run() throws ResourceException;
    }

    private <T> T call(String what, Body<T> body) throws ResourceException {
        try {
            return body.run();
        } catch (KubernetesClientException e) {
            throw new ResourceException(
                    "cannot "
                            + what
                            + " deployment "
                            + settings.namespace()
                            + "/"
                            + settings.deployment()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
