package dev.foreshadow.connectors.resources.kubernetes;

import static dev.foreshadow.connectors.resources.kubernetes.KubernetesResourceManager.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.foreshadow.connectors.resources.Check;
import dev.foreshadow.connectors.resources.ResourceManager;
import dev.foreshadow.connectors.resources.SmokeCheck;
import dev.foreshadow.connectors.resources.Validation;
import dev.foreshadow.models.lifecycle.InstanceObservation;
import dev.foreshadow.models.lifecycle.InstanceShape;
import dev.foreshadow.models.lifecycle.InstanceState;
import dev.foreshadow.models.lifecycle.PoolObservation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manager against fabric8's mock API server in CRUD mode: the objects it reads, and
 * the objects it writes (replicas, the HPA's or ScaledObject's minimum, pod labels, placeholder
 * pods and their PriorityClass). The mock runs no controllers, so the tests make the pods a
 * ReplicaSet would.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesResourceManagerTest {

    static KubernetesClient client;

    private static final String NS = "shop";
    private static final InstanceShape SHAPE = new InstanceShape(4, 16L << 30, 0);
    private static final KubernetesSettings PLAIN =
            new KubernetesSettings(NS, "orders", null, null, -1, "registry.k8s.io/pause:3.10");
    private static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

    @BeforeEach
    void deployment() {
        client.pods().inNamespace(NS).delete();
        client.apps().deployments().inNamespace(NS).delete();
        client.resource(
                        new DeploymentBuilder()
                                .withNewMetadata()
                                .withName("orders")
                                .withNamespace(NS)
                                .endMetadata()
                                .withNewSpec()
                                .withReplicas(2)
                                .withNewSelector()
                                .withMatchLabels(Map.of("app", "orders"))
                                .endSelector()
                                .endSpec()
                                .build())
                .create();
    }

    private static ResourceManager manager(KubernetesSettings s) {
        return new KubernetesResourceManager(client, s, SHAPE, InstantSource.fixed(NOW), false);
    }

    private static void pod(
            String name, String phase, String node, boolean ready, Map<String, String> labels) {
        PodBuilder b =
                new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(NS)
                        .addToLabels("app", "orders")
                        .addToLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName(node)
                        .endSpec()
                        .withNewStatus()
                        .withPhase(phase)
                        .withPodIP("10.0.0." + name.length())
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus(ready ? "True" : "False")
                        .endCondition()
                        .endStatus();
        client.resource(b.build()).create();
    }

    private static Pod read(String name) {
        return client.pods().inNamespace(NS).withName(name).get();
    }

    private static Deployment orders() {
        return client.apps().deployments().inNamespace(NS).withName("orders").get();
    }

    @Test
    void podsAreReadAsLifecycleStatesAndReplicasWithoutPodsAsRequested() throws Exception {
        client.apps()
                .deployments()
                .inNamespace(NS)
                .withName("orders")
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(8).endSpec().build());
        pod("unscheduled", "Pending", null, false, Map.of());
        pod("booting", "Pending", "node-1", false, Map.of());
        pod("warming", "Running", "node-1", false, Map.of());
        pod("warmed", "Running", "node-1", true, Map.of());
        pod("validated", "Running", "node-1", true, Map.of(VALIDATED, "true"));
        pod("serving", "Running", "node-1", true, Map.of(VALIDATED, "true", SERVING, "true"));
        pod("broken", "Running", "node-1", true, Map.of(VALIDATED, "false"));
        pod("placeholder", "Running", "node-1", true, Map.of(PLACEHOLDER_FOR, "orders"));

        PoolObservation o = manager(PLAIN).observe();

        assertThat(o.instances())
                .extracting(i -> i.id() + " " + i.state() + " " + i.readiness())
                .containsExactlyInAnyOrder(
                        "unscheduled requested false",
                        "booting provisioning false",
                        "warming warming false",
                        "warmed warming true",
                        "validated ready true",
                        "serving in-service true",
                        "broken failed true");
        assertThat(o.pending()).as("8 replicas, 7 pods of the deployment").isEqualTo(1);
        assertThat(o.autoscaled()).isZero();
        assertThat(o.at()).isEqualTo(NOW);
    }

    @Test
    void provisionAsksWhatThePoolHasAndScalesTheDeploymentByWhatIsMissing() throws Exception {
        pod("a", "Running", "node-1", true, Map.of());
        pod("b", "Running", "node-1", true, Map.of());
        ResourceManager m = manager(PLAIN);

        assertThat(m.provision(3)).isEqualTo(new ResourceManager.Provisioned(1, 2));
        assertThat(orders().getSpec().getReplicas()).isEqualTo(3);
        assertThat(m.provision(3))
                .as("asked again (a replay): the replica without a pod counts")
                .isEqualTo(new ResourceManager.Provisioned(0, 3));
        assertThat(orders().getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void aValidatedPodIsLabelledAndOnlyThenPutInService() throws Exception {
        HttpServer smoke = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        smoke.createContext(
                "/",
                x -> {
                    int status = x.getRequestURI().getPath().equals("/healthz/good") ? 200 : 503;
                    byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
                    x.sendResponseHeaders(status, body.length);
                    x.getResponseBody().write(body);
                    x.close();
                });
        smoke.start();
        try {
            pod("good", "Running", "node-1", true, Map.of());
            pod("bad", "Running", "node-1", true, Map.of());
            ResourceManager m = manager(PLAIN);
            Validation v =
                    new Validation(
                            new SmokeCheck.HttpGet(
                                    "http://127.0.0.1:"
                                            + smoke.getAddress().getPort()
                                            + "/healthz/{instance}",
                                    200,
                                    "ok"),
                            Duration.ofSeconds(5),
                            1,
                            Duration.ZERO);

            assertThat(v.validate(m, "good", NOW.plusSeconds(60)).passed()).isTrue();
            Check failed = v.validate(m, "bad", NOW.plusSeconds(60));
            m.putInService("good");

            assertThat(failed.detail()).contains("answered 503, expected 200");
            assertThat(read("good").getMetadata().getLabels())
                    .containsEntry(VALIDATED, "true")
                    .containsEntry(SERVING, "true");
            assertThat(read("bad").getMetadata().getLabels()).containsEntry(VALIDATED, "false");
            assertThat(read("bad").getMetadata().getAnnotations().get(VALIDATION))
                    .startsWith("smoke check: GET http://127.0.0.1:");
            assertThat(m.observe().instances())
                    .extracting(InstanceObservation::id, InstanceObservation::state)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("good", InstanceState.IN_SERVICE),
                            org.assertj.core.groups.Tuple.tuple("bad", InstanceState.FAILED));
        } finally {
            smoke.stop(0);
        }
    }

    @Test
    void aPodThatIsNotReadyFailsItsReadinessProbe() throws Exception {
        pod("slow", "Running", "node-1", false, Map.of());

        Check c =
                new Validation(null, Duration.ofSeconds(1), 1, Duration.ZERO)
                        .validate(manager(PLAIN), "slow", NOW.plusSeconds(1));

        assertThat(c).isEqualTo(Check.failed("readiness probe: pod slow is not Ready (Running)"));
        assertThat(read("slow").getMetadata().getLabels()).containsEntry(VALIDATED, "false");
    }

    @Test
    void aDrainedPodLeavesTheServiceAndItsReleaseLowersTheReplicasOnce() throws Exception {
        pod("a", "Running", "node-1", true, Map.of(VALIDATED, "true", SERVING, "true"));
        pod("b", "Running", "node-1", true, Map.of(VALIDATED, "true", SERVING, "true"));
        ResourceManager m = manager(PLAIN);

        m.drain("b");
        assertThat(read("b").getMetadata().getLabels())
                .doesNotContainKey(SERVING)
                .containsEntry(DRAINING, "true");
        assertThat(m.observe().instances())
                .extracting(InstanceObservation::state)
                .containsExactlyInAnyOrder(InstanceState.IN_SERVICE, InstanceState.DRAINING);
        m.release("b");
        m.release("b");

        assertThat(orders().getSpec().getReplicas()).as("lowered once").isEqualTo(1);
        assertThat(read("b").getMetadata().getAnnotations()).containsEntry(DELETION_COST, "-1000");
        assertThat(m.observe().instances())
                .extracting(InstanceObservation::id)
                .containsExactly("a");
        assertThat(m.observe().pending()).isZero();
    }

    @Test
    void withAnHpaTheFloorIsItsMinimumAndPodsItKeepsAboveItAreTheAutoscalers() throws Exception {
        client.resource(
                        new HorizontalPodAutoscalerBuilder()
                                .withNewMetadata()
                                .withName("orders")
                                .withNamespace(NS)
                                .endMetadata()
                                .withNewSpec()
                                .withMinReplicas(1)
                                .withMaxReplicas(20)
                                .withNewScaleTargetRef()
                                .withApiVersion("apps/v1")
                                .withKind("Deployment")
                                .withName("orders")
                                .endScaleTargetRef()
                                .endSpec()
                                .build())
                .create();
        client.apps()
                .deployments()
                .inNamespace(NS)
                .withName("orders")
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(4).endSpec().build());
        for (String p : new String[] {"a", "b", "c", "d"}) {
            pod(p, "Running", "node-1", true, Map.of(VALIDATED, "true", SERVING, "true"));
        }
        ResourceManager m =
                manager(new KubernetesSettings(NS, "orders", "orders", null, -1, "pause"));

        assertThat(m.provision(3)).isEqualTo(new ResourceManager.Provisioned(0, 4));
        assertThat(
                        client.autoscaling()
                                .v2()
                                .horizontalPodAutoscalers()
                                .inNamespace(NS)
                                .withName("orders")
                                .get()
                                .getSpec()
                                .getMinReplicas())
                .isEqualTo(3);
        assertThat(m.observe().autoscaled()).as("4 pods, minimum 3").isEqualTo(1);

        m.release("d");
        assertThat(
                        client.autoscaling()
                                .v2()
                                .horizontalPodAutoscalers()
                                .inNamespace(NS)
                                .withName("orders")
                                .get()
                                .getSpec()
                                .getMinReplicas())
                .isEqualTo(2);
        assertThat(orders().getSpec().getReplicas())
                .as("the HPA scales in, not foreshadow")
                .isEqualTo(4);
        PoolObservation after = m.observe();
        assertThat(after.active() - after.autoscaled()).as("the floor's own pods").isEqualTo(2);
    }

    @Test
    void withAKedaScaledObjectTheFloorIsItsMinReplicaCount() throws Exception {
        ResourceDefinitionContext keda =
                new ResourceDefinitionContext.Builder()
                        .withGroup("keda.sh")
                        .withVersion("v1alpha1")
                        .withKind("ScaledObject")
                        .withPlural("scaledobjects")
                        .withNamespaced(true)
                        .build();
        GenericKubernetesResource so =
                new GenericKubernetesResourceBuilder()
                        .withApiVersion("keda.sh/v1alpha1")
                        .withKind("ScaledObject")
                        .withNewMetadata()
                        .withName("orders")
                        .withNamespace(NS)
                        .endMetadata()
                        .addToAdditionalProperties(
                                "spec",
                                new java.util.HashMap<>(
                                        Map.of(
                                                "scaleTargetRef",
                                                Map.of("name", "orders"),
                                                "minReplicaCount",
                                                0)))
                        .build();
        client.genericKubernetesResources(keda).inNamespace(NS).resource(so).create();

        manager(new KubernetesSettings(NS, "orders", null, "orders", -1, "pause")).provision(5);

        Map<?, ?> spec =
                (Map<?, ?>)
                        client.genericKubernetesResources(keda)
                                .inNamespace(NS)
                                .withName("orders")
                                .get()
                                .getAdditionalProperties()
                                .get("spec");
        assertThat(((Number) spec.get("minReplicaCount")).intValue()).isEqualTo(5);
        assertThat(orders().getSpec().getReplicas()).isEqualTo(5);
    }

    @Test
    void headroomIsPlaceholderPodsOfTheInstanceShapeAtANegativePriority() throws Exception {
        ResourceManager m =
                manager(
                        new KubernetesSettings(
                                NS, "orders", null, null, -5, "registry.k8s.io/pause:3.10"));

        assertThat(m.prepare(3)).isEqualTo("3 placeholder pods of 4.0 cores at priority -5");

        PriorityClass pc =
                client.scheduling().v1().priorityClasses().withName(PLACEHOLDER_CLASS).get();
        assertThat(pc.getValue()).isEqualTo(-5);
        assertThat(pc.getGlobalDefault()).isFalse();
        assertThat(pc.getPreemptionPolicy()).isEqualTo("Never");
        Deployment placeholders =
                client.apps().deployments().inNamespace(NS).withName("orders-placeholder").get();
        assertThat(placeholders.getSpec().getReplicas()).isEqualTo(3);
        var template = placeholders.getSpec().getTemplate().getSpec();
        assertThat(template.getPriorityClassName()).isEqualTo(PLACEHOLDER_CLASS);
        assertThat(template.getContainers().get(0).getResources().getRequests())
                .containsEntry("cpu", new io.fabric8.kubernetes.api.model.Quantity("4.0"))
                .containsEntry(
                        "memory",
                        new io.fabric8.kubernetes.api.model.Quantity(Long.toString(16L << 30)));

        m.prepare(0);
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("orders-placeholder")
                                .get()
                                .getSpec()
                                .getReplicas())
                .isZero();
    }

    @Test
    void thePlaceholderPriorityStaysBelowZeroAndAboveTheAutoscalersCutoff() {
        assertThatThrownBy(() -> new KubernetesSettings(NS, "orders", null, null, -11, "pause"))
                .hasMessageContaining("must be from -10 to -1");
        assertThatThrownBy(() -> new KubernetesSettings(NS, "orders", null, null, 0, "pause"))
                .hasMessageContaining("must be from -10 to -1");
    }

    @Test
    void aMissingDeploymentIsAnErrorNamingIt() {
        assertThatThrownBy(
                        () ->
                                manager(new KubernetesSettings(NS, "nope", null, null, -1, "pause"))
                                        .observe())
                .hasMessage("deployment shop/nope not found");
    }
}
