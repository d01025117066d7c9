package dev.foreshadow.jobs.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.resources.SmokeCheck;
import dev.foreshadow.connectors.resources.kubernetes.KubernetesSettings;
import dev.foreshadow.connectors.resources.simulated.SimulatedSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllocationSettingsTest {

    private static final String P = "allocation.pool.shop/orders.";

    private static Map<String, String> orders(String... more) {
        Map<String, String> m = new HashMap<>();
        m.put("allocation.pools", "shop/orders");
        m.put(P + "manager", "simulated");
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void readsAPoolWithItsLimitsShapeManagerAndValidation() {
        AllocationSettings s =
                AllocationSettings.from(
                        AllocationSettings.load(
                                null,
                                orders(
                                        P + "max",
                                        "20",
                                        P + "memory",
                                        "64 gb",
                                        P + "simulated.failure-rate",
                                        "0.1",
                                        P + "validation.http-get",
                                        "http://{host}:8080/healthz",
                                        "allocation.poll-interval",
                                        "2 s",
                                        "allocation.call-timeout",
                                        "20 s")));

        AllocationSettings.Pool pool = s.pools().get("shop/orders");
        assertThat(pool.limits().max()).isEqualTo(20);
        assertThat(pool.limits().callTimeout())
                .as("the call's timeout and two polls")
                .isEqualTo(Duration.ofSeconds(24));
        assertThat(pool.shape().memoryBytes()).isEqualTo(64L << 30);
        assertThat(((SimulatedSettings) pool.manager()).failureRate()).isEqualTo(0.1);
        assertThat(pool.validation().smokeCheck())
                .isEqualTo(new SmokeCheck.HttpGet("http://{host}:8080/healthz", 200, null));
        assertThat(s.statusTopic()).isEqualTo("allocation-status");
    }

    @Test
    void theExampleSettingsOfTheRepositoryAreValid(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("pw"), "not-a-real-password");
        AllocationSettings s =
                AllocationSettings.from(
                        AllocationSettings.load(
                                Path.of("..", "flink-conf", "allocation.properties"),
                                Map.of("history.password-file", secret.toString())));

        assertThat(s.pools()).containsOnlyKeys("shop/order-fulfilment");
        assertThat(s.pools().get("shop/order-fulfilment").certifications())
                .containsExactly("PCI-DSS");
    }

    @Test
    void readsAKubernetesPool() {
        AllocationSettings s =
                AllocationSettings.from(
                        AllocationSettings.load(
                                null,
                                orders(
                                        P + "manager", "kubernetes",
                                        P + "kubernetes.namespace", "shop",
                                        P + "kubernetes.deployment", "orders",
                                        P + "kubernetes.hpa", "orders")));

        assertThat(s.pools().get("shop/orders").manager())
                .isEqualTo(
                        new KubernetesSettings(
                                "shop",
                                "orders",
                                "orders",
                                null,
                                -1,
                                "registry.k8s.io/pause:3.10"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "allocation.pools=|allocation.pools is empty: name at least one pool (allocation.pools: shop/orders)",
                P
                        + "manager=vmware|"
                        + P
                        + "manager: 'vmware' is not simulated, kubernetes or autoscaling",
                P + "max=0|" + P + "max must be at least 1, got 0",
                P + "min=11|" + P + "max (10) is below " + P + "min (11)",
                P
                        + "simulated.failure-rate=2|"
                        + P
                        + "simulated.failure-rate must be from 0.0 to 1.0, got 2.0",
                P + "cooldown=soon|Could not parse value 'soon' for key '" + P + "cooldown'.",
                P
                        + "mins=1|unknown setting "
                        + P
                        + "mins (a pool's keys are allocation.pool.<name>.<setting>, <name> one of allocation.pools: [shop/orders])",
                "allocation.pool.shop/other.min=1|unknown setting allocation.pool.shop/other.min (a pool's keys are allocation.pool.<name>.<setting>, <name> one of allocation.pools: [shop/orders])",
                "allocation.poll-intervall=1 s|unknown setting allocation.poll-intervall (see the README's configuration table)",
                "topics.allocation-statuss=x|unknown setting topics.allocation-statuss (see the README's configuration table)",
            })
    void rejectsABadSettingWithAMessageNamingIt(String setting, String message) {
        Map<String, String> m = orders();
        int eq = setting.indexOf('=');
        m.put(setting.substring(0, eq), setting.substring(eq + 1));
        assertThatThrownBy(() -> AllocationSettings.load(null, m)).hasMessage(message);
    }

    @Test
    void aKubernetesPoolNeedsItsDeploymentAndAPoolItsManager() {
        assertThatThrownBy(() -> AllocationSettings.load(null, orders(P + "manager", "kubernetes")))
                .hasMessage(P + "kubernetes.deployment is missing");
        Map<String, String> noManager = orders();
        noManager.remove(P + "manager");
        assertThatThrownBy(() -> AllocationSettings.load(null, noManager))
                .hasMessage(P + "manager is missing: simulated, kubernetes or autoscaling");
    }

    @Test
    void aSharedSettingsFileWithShadowJobsKeysAndAnotherManagersKeysIsAccepted() {
        AllocationSettings s =
                AllocationSettings.from(
                        AllocationSettings.load(
                                null,
                                orders(
                                        "anomaly.min-change",
                                        "0.3",
                                        "shadow.run-ttl",
                                        "2 h",
                                        P + "kubernetes.placeholder-priority",
                                        "-3")));

        assertThat(s.pools().get("shop/orders").manager()).isInstanceOf(SimulatedSettings.class);
    }

    @Test
    void theReadmeDocumentsEverySettingOfTheJobAndOfAPool() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));

        assertThat(
                        AllocationSettings.OPTIONS.stream()
                                .flatMap(
                                        c ->
                                                dev.foreshadow.connectors.config.Options.declaredIn(
                                                        c)
                                                        .stream()))
                .allSatisfy(o -> assertThat(readme).contains("| `" + o.key() + "` |"));
        assertThat(AllocationOptions.perPool())
                .allSatisfy(
                        o ->
                                assertThat(readme)
                                        .contains(
                                                "| `allocation.pool.<name>." + o.suffix() + "` |"));
    }
}
