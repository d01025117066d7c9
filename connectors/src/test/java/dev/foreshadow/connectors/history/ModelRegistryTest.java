package dev.foreshadow.connectors.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model registry against a real PostgreSQL, with the migrations applied. */
class ModelRegistryTest {

    private static final Instant MONDAY_9AM = Instant.parse("2026-11-23T09:00:00Z");
    private static final Instant FOUR_WEEKS_EARLIER = Instant.parse("2026-10-26T09:00:00Z");

    @TempDir static Path runDir;
    private static EmbeddedDatabase db;
    private final AtomicReference<Instant> now = new AtomicReference<>(MONDAY_9AM);

    /** A clock the test moves. */
    private final InstantSource clock = now::get;

    private final ModelRegistry registry = new ModelRegistry(db.settings(), clock);

    @BeforeAll
    static void startDatabase() throws Exception {
        db = EmbeddedDatabase.start(runDir);
        try (Connection c = db.settings().connect()) {
            Migrations.apply(c);
        }
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        db.close();
    }

    @BeforeEach
    void emptyRegistry() throws Exception {
        try (Connection c = db.settings().connect();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE models");
        }
    }

    @Test
    void storesAndLoadsAnArtifactWithItsMetadata() throws Exception {
        byte[] artifact = {0, 1, 2, (byte) 255, 42};
        ModelRegistry.Entry stored =
                registry.register(
                        "order-fulfilment",
                        "ets-ad-a24",
                        FOUR_WEEKS_EARLIER,
                        MONDAY_9AM,
                        "{\"mase\": 0.81, \"folds\": 3}",
                        artifact);

        ModelRegistry.Entry loaded = registry.latest("order-fulfilment").orElseThrow();

        assertThat(loaded.version()).isEqualTo(1).isEqualTo(stored.version());
        assertThat(loaded.modelType()).isEqualTo("ets-ad-a24");
        assertThat(loaded.artifact()).containsExactly(artifact);
        assertThat(loaded.trainingFrom()).isEqualTo(FOUR_WEEKS_EARLIER);
        assertThat(loaded.trainingTo()).isEqualTo(MONDAY_9AM);
        assertThat(loaded.metricsJson()).contains("\"mase\": 0.81");
        assertThat(loaded.createdAt()).isEqualTo(MONDAY_9AM);
    }

    @Test
    void versionsCountUpPerWorkflowTypeAndTheNewestIsLatest() throws Exception {
        registry.register(
                "checkout", "snaive24", FOUR_WEEKS_EARLIER, MONDAY_9AM, "{}", new byte[] {1});
        now.set(MONDAY_9AM.plusSeconds(3600));
        registry.register("checkout", "lstm", FOUR_WEEKS_EARLIER, MONDAY_9AM, "{}", new byte[] {2});
        registry.register(
                ModelRegistry.GLOBAL, "lstm", FOUR_WEEKS_EARLIER, MONDAY_9AM, "{}", new byte[] {3});

        assertThat(registry.latest("checkout").orElseThrow().version()).isEqualTo(2);
        assertThat(registry.latest("checkout").orElseThrow().createdAt())
                .isEqualTo(MONDAY_9AM.plusSeconds(3600));
        assertThat(registry.load("checkout", 1).orElseThrow().modelType()).isEqualTo("snaive24");
        assertThat(registry.latest(ModelRegistry.GLOBAL).orElseThrow().version()).isEqualTo(1);
        assertThat(registry.latestOfEachType())
                .extracting(ModelRegistry.Entry::workflowType)
                .containsExactly(ModelRegistry.GLOBAL, "checkout");
        assertThat(registry.latest("unknown")).isEmpty();
    }

    @Test
    void rejectsATrainingWindowThatEndsBeforeItStarts() {
        assertThatThrownBy(
                        () ->
                                registry.register(
                                        "checkout",
                                        "lstm",
                                        MONDAY_9AM,
                                        FOUR_WEEKS_EARLIER,
                                        "{}",
                                        new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window");
    }

    @Test
    void storesBacktestMetricsAsJsonWithTheSeasonalNaiveMaseOnlyWhereItApplies() throws Exception {
        registry.register(
                "checkout",
                "snaive24",
                FOUR_WEEKS_EARLIER,
                MONDAY_9AM,
                new ModelRegistry.BacktestMetrics(0.5, 20, 0.8, 0.75, 3, 24, 24, 60),
                new byte[] {1});
        registry.register(
                ModelRegistry.GLOBAL,
                "lstm",
                FOUR_WEEKS_EARLIER,
                MONDAY_9AM,
                new ModelRegistry.BacktestMetrics(0.6, 21, 0.7, Double.NaN, 3, 24, 24, 60),
                new byte[] {2});

        try (Connection c = db.settings().connect();
                Statement s = c.createStatement();
                java.sql.ResultSet rs =
                        s.executeQuery(
                                "SELECT workflow_type, metrics->>'mase', metrics->>'snaive_mase',"
                                        + " metrics->>'step_minutes' FROM models ORDER BY 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(ModelRegistry.GLOBAL);
            assertThat(rs.getDouble(2)).isEqualTo(0.6);
            assertThat(rs.getString(3)).isNull();
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("checkout");
            assertThat(rs.getDouble(3)).isEqualTo(0.75);
            assertThat(rs.getInt(4)).isEqualTo(60);
        }
    }
}
