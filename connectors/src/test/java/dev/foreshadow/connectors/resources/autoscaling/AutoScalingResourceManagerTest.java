package dev.foreshadow.connectors.resources.autoscaling;

import static dev.foreshadow.connectors.resources.autoscaling.AutoScalingResourceManager.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.resources.Check;
import dev.foreshadow.connectors.resources.ResourceManager;
import dev.foreshadow.connectors.resources.Validation;
import dev.foreshadow.models.lifecycle.InstanceObservation;
import dev.foreshadow.models.lifecycle.InstanceState;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The Auto Scaling manager against a real {@code moto_server} (started here on 127.0.0.1; {@code
 * pip install 'moto[server]'}) for what it implements: groups, desired capacity, instances and
 * their tags, termination, warm pools. moto takes instances straight to InService and answers
 * CompleteLifecycleAction with HTTP 500, so the hook's completion is checked through {@link
 * LifecycleActions}: called with the right arguments, only after validation.
 */
class AutoScalingResourceManagerTest {

    @TempDir static Path runDir;
    private static Process moto;
    private static AutoScalingClient asg;
    private static Ec2Client ec2;
    private static String launchTemplate;

    private final List<String> completed = new ArrayList<>();
    private String group;
    private ResourceManager manager;

    @BeforeAll
    static void startMoto() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try {
            moto =
                    new ProcessBuilder(
                                    "moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                            .redirectErrorStream(true)
                            .redirectOutput(runDir.resolve("moto.log").toFile())
                            .start();
        } catch (IOException e) {
            Assumptions.abort(
                    "moto_server is not installed here (pip install 'moto[server]'): "
                            + e.getMessage());
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        waitUntilUp(endpoint);
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        asg =
                AutoScalingClient.builder()
                        .endpointOverride(endpoint)
                        .region(Region.US_EAST_1)
                        .credentialsProvider(credentials)
                        .build();
        ec2 =
                Ec2Client.builder()
                        .endpointOverride(endpoint)
                        .region(Region.US_EAST_1)
                        .credentialsProvider(credentials)
                        .build();
        String image = ec2.describeImages(r -> r.owners("amazon")).images().get(0).imageId();
        launchTemplate = "foreshadow-test";
        ec2.createLaunchTemplate(
                r ->
                        r.launchTemplateName(launchTemplate)
                                .launchTemplateData(
                                        d -> d.imageId(image).instanceType("t3.micro")));
    }

    private static void waitUntilUp(URI endpoint) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                http.send(
                        HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !moto.isAlive()) {
                    throw new IllegalStateException(
                            "moto_server did not start: see " + runDir.resolve("moto.log"), e);
                }
                Thread.sleep(200);
            }
        }
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (asg != null) {
            asg.close();
            ec2.close();
        }
        if (moto != null) {
            moto.destroy();
            moto.waitFor();
        }
    }

    @BeforeEach
    void group() {
        group = "orders-" + UUID.randomUUID();
        asg.createAutoScalingGroup(
                r ->
                        r.autoScalingGroupName(group)
                                .launchTemplate(t -> t.launchTemplateName(launchTemplate))
                                .minSize(0)
                                .maxSize(4)
                                .desiredCapacity(0)
                                .availabilityZones("us-east-1a"));
        LifecycleActions recorder =
                (g, hook, instance, result) -> completed.add(hook + " " + instance + " " + result);
        manager =
                new AutoScalingResourceManager(
                        asg,
                        ec2,
                        recorder,
                        new AutoScalingSettings(
                                group, "us-east-1", null, "validate-first", "Stopped"),
                        InstantSource.system(),
                        false);
    }

    private int desired() {
        return asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames(group))
                .autoScalingGroups()
                .get(0)
                .desiredCapacity();
    }

    private Map<String, String> tags(String instance) {
        return ec2
                .describeTags(r -> r.filters(f -> f.name("resource-id").values(instance)))
                .tags()
                .stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }

    @Test
    void provisionAsksWhatTheGroupHasAndRaisesTheDesiredCapacityByWhatIsMissing() throws Exception {
        assertThat(manager.provision(2)).isEqualTo(new ResourceManager.Provisioned(2, 0));
        assertThat(desired()).isEqualTo(2);

        assertThat(manager.provision(2))
                .as("asked again: nothing more")
                .isEqualTo(new ResourceManager.Provisioned(0, 2));
        assertThat(desired()).isEqualTo(2);
        assertThat(manager.observe().instances())
                .as("moto has them in service at once; unvalidated, they are warming")
                .hasSize(2)
                .allSatisfy(
                        i -> {
                            assertThat(i.state()).isEqualTo(InstanceState.WARMING);
                            assertThat(i.readiness()).isTrue();
                        });
    }

    @Test
    void theLaunchHookIsCompletedOnlyAfterValidationAndTheInstanceThenServes() throws Exception {
        manager.provision(1);
        String id = manager.observe().instances().get(0).id();
        Validation readiness = new Validation(null, Duration.ofSeconds(5), 1, Duration.ZERO);

        assertThat(
                        readiness
                                .validate(manager, id, java.time.Instant.now().plusSeconds(60))
                                .passed())
                .isTrue();
        assertThat(completed).as("validated, not yet in service").isEmpty();
        assertThat(manager.observe().instances().get(0).state()).isEqualTo(InstanceState.READY);
        manager.putInService(id);

        assertThat(completed).containsExactly("validate-first " + id + " CONTINUE");
        assertThat(tags(id)).containsEntry(VALIDATED, "true").containsEntry(SERVING, "true");
        assertThat(manager.observe().instances().get(0).state())
                .isEqualTo(InstanceState.IN_SERVICE);
    }

    @Test
    void anInstanceThatFailsItsValidationIsAbandonedAtItsHookAndFails() throws Exception {
        manager.provision(1);
        String id = manager.observe().instances().get(0).id();

        manager.recordValidation(
                id, Check.failed("smoke check: GET http://10.0.0.7/healthz answered 503"));

        assertThat(completed).containsExactly("validate-first " + id + " ABANDON");
        InstanceObservation o = manager.observe().instances().get(0);
        assertThat(o.state()).isEqualTo(InstanceState.FAILED);
        assertThat(o.detail()).isEqualTo("smoke check: GET http://10.0.0.7/healthz answered 503");
    }

    @Test
    void aReleaseTerminatesTheInstanceAndLowersTheDesiredCapacityOnce() throws Exception {
        manager.provision(2);
        String id = manager.observe().instances().get(0).id();
        manager.drain(id);
        assertThat(manager.observe().instances())
                .filteredOn(i -> i.id().equals(id))
                .extracting(InstanceObservation::state)
                .containsExactly(InstanceState.DRAINING);

        manager.release(id);
        manager.release(id);

        assertThat(desired()).isEqualTo(1);
        assertThat(manager.observe().instances())
                .extracting(InstanceObservation::id)
                .doesNotContain(id)
                .hasSize(1);
    }

    @Test
    void headroomIsTheWarmPoolsMinimumSize() throws Exception {
        assertThat(manager.prepare(3))
                .isEqualTo("warm pool of 3 pre-initialised instances (Stopped)");

        var pool = asg.describeWarmPool(r -> r.autoScalingGroupName(group)).warmPoolConfiguration();
        assertThat(pool.minSize()).isEqualTo(3);
        assertThat(pool.poolStateAsString()).isEqualTo("Stopped");
    }

    @Test
    void aRequestAboveTheGroupsMaxSizeIsRefusedWithTheReason() {
        assertThatThrownBy(() -> manager.request(5))
                .hasMessage("group " + group + " cannot grow to 5: its max size is 4");
    }
}
