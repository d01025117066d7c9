package dev.foreshadow.jobs.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.config.Options;
import dev.foreshadow.models.anomaly.ActionScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShadowSettingsTest {

    @TempDir Path dir;

    @Test
    void readsFlatKeyValueLinesAndOverrides() throws Exception {
        Path file = dir.resolve("shadow.properties");
        Files.writeString(
                file,
                "history.retention: 365 d\nshadow.run-ttl: 2 h\nkafka.bootstrap-servers=broker:9092\n");

        ShadowSettings s =
                ShadowSettings.from(ShadowSettings.load(file, Map.of("shadow.run-ttl", "3 h")));

        assertThat(s.history().retention()).isEqualTo(Duration.ofDays(365));
        assertThat(s.runTtl()).isEqualTo(Duration.ofHours(3));
        assertThat(s.kafka().bootstrapServers()).isEqualTo("broker:9092");
        assertThat(s.job().maxParallelism()).isEqualTo(128);
    }

    @Test
    void rejectsAnUnknownKeyByName() {
        assertThatThrownBy(() -> ShadowSettings.load(null, Map.of("history.retension", "30 d")))
                .hasMessage(
                        "unknown setting history.retension (see the README's configuration table)");
    }

    @Test
    void rejectsAnUnreadableValueNamingTheKey() {
        assertThatThrownBy(() -> ShadowSettings.load(null, Map.of("history.retention", "forever")))
                .hasMessageContaining("history.retention");
        assertThatThrownBy(() -> ShadowSettings.load(null, Map.of("shadow.run-ttl", "0 s")))
                .hasMessage("shadow.run-ttl must be positive, got PT0S");
    }

    @Test
    void pseudonymisingWithoutAKeyIsRefused() {
        assertThatThrownBy(
                        () ->
                                ShadowSettings.load(
                                        null, Map.of("privacy.pseudonymise-attributes", "*user*")))
                .hasMessageContaining("needs a key");
    }

    @Test
    void readsTheDatabasePasswordFromAFileWithoutShowingIt() throws Exception {
        Path secret = dir.resolve("pw");
        Files.writeString(secret, "s3cret\n");

        ShadowSettings s =
                ShadowSettings.from(
                        ShadowSettings.load(
                                null, Map.of("history.password-file", secret.toString())));

        assertThat(s.history().database().toString()).doesNotContain("s3cret");
    }

    @Test
    void rejectsABadAlertRuleNamingTheSetting() {
        assertThatThrownBy(() -> ShadowSettings.load(null, Map.of("anomaly.min-change", "-0.5")))
                .hasMessage("anomaly.min-change must be a number >= 0, got -0.5");
        assertThatThrownBy(() -> ShadowSettings.load(null, Map.of("anomaly.direction", "up")))
                .hasMessage("anomaly.direction must be above, below or both, got 'up'");
        assertThat(
                        ShadowSettings.from(
                                        ShadowSettings.load(
                                                null,
                                                Map.of(
                                                        "anomaly.direction",
                                                        "above",
                                                        "anomaly.min-change",
                                                        "0.5")))
                                .anomaly()
                                .alertRule())
                .isEqualTo(new ActionScorer.AlertRule(ActionScorer.Direction.ABOVE, 0.5));
    }

    @Test
    void aSharedSettingsFileWithAllocationJobsKeysConfiguresThePlannersPools() {
        ShadowSettings s =
                ShadowSettings.from(
                        ShadowSettings.load(
                                null,
                                Map.of(
                                        "allocation.pools", "payments",
                                        "allocation.pool.payments.types",
                                                "shop/checkout;shop/refunds",
                                        "allocation.pool.payments.max", "4",
                                        "allocation.pool.payments.manager", "simulated",
                                        "allocation.pool.payments.simulated.boot-time", "1 min",
                                        "allocation.poll-interval", "3 s")));

        assertThat(s.planner().pools()).containsOnlyKeys("payments");
        assertThat(s.planner().pools().get("payments").types())
                .extracting(Object::toString)
                .containsExactly("shop/checkout", "shop/refunds");
        assertThat(s.planner().pools().get("payments").max()).isEqualTo(4);
    }

    @Test
    void aWorkflowTypeListedByTwoPoolsStopsTheJobAtStartupNamingBoth() {
        assertThatThrownBy(
                        () ->
                                ShadowSettings.load(
                                        null,
                                        Map.of(
                                                "allocation.pools", "a;b",
                                                "allocation.pool.a.types", "shop/checkout",
                                                "allocation.pool.b.types", "shop/checkout")))
                .hasMessage(
                        "workflow type shop/checkout is listed by two pools:"
                                + " allocation.pool.a.types and allocation.pool.b.types");
    }

    @Test
    void theReadmeDocumentsEverySetting() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));

        assertThat(ShadowSettings.OPTIONS.stream().flatMap(c -> Options.declaredIn(c).stream()))
                .hasSizeGreaterThan(30)
                .allSatisfy(o -> assertThat(readme).contains("| `" + o.key() + "` |"));
    }
}
