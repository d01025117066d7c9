package dev.foreshadow.connectors.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.connectors.records.SignedEnvelope;
import dev.foreshadow.connectors.records.VerifiedEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history sink's writer beyond what every table does ({@link HistoryTableTest}): partitions,
 * retention, roles, the documented queries and the migrations, against a real PostgreSQL.
 */
class HistoryWriterTest {

    @TempDir static Path runDir;
    private static EmbeddedDatabase db;
    private static final Instant TODAY = Instant.now().truncatedTo(ChronoUnit.DAYS);

    @BeforeAll
    static void startDatabase() throws Exception {
        db = EmbeddedDatabase.start(runDir);
        try (Connection c = db.settings().connect()) {
            assertThat(Migrations.apply(c)).containsExactlyElementsOf(Migrations.FILES);
            assertThat(Migrations.apply(c)).as("second start applies nothing").isEmpty();
        }
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        db.close();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        execute("TRUNCATE action_samples");
    }

    @Test
    void aStragglerFromLongAgoAddsOnlyItsOwnDaysPartition() throws Exception {
        String partitions =
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'action_samples'::regclass";
        int before = Integer.parseInt(query(partitions));

        try (HistoryWriter<ActionSample> w =
                new HistoryWriter<>(db.settings(), HistoryTables.ACTION_SAMPLES)) {
            w.add(sample("now", TODAY.plusSeconds(1), "x"));
            w.add(sample("long-ago", TODAY.minus(Duration.ofDays(150)), "x"));
        }

        assertThat(Integer.parseInt(query(partitions)) - before).isBetween(1, 2);
        assertThat(query("SELECT count(*) FROM action_samples")).isEqualTo("2");
    }

    @Test
    void retentionDropsWholeDaysOlderThanTheRetention() throws Exception {
        try (HistoryWriter<ActionSample> w =
                new HistoryWriter<>(db.settings(), HistoryTables.ACTION_SAMPLES)) {
            w.add(sample("old", TODAY.minus(Duration.ofDays(40)), "x"));
            w.add(sample("recent", TODAY.minus(Duration.ofDays(2)), "x"));
        }

        try (Connection c = db.settings().connect()) {
            assertThat(Migrations.applyRetention(c, Duration.ofDays(30))).isGreaterThanOrEqualTo(1);
        }

        assertThat(query("SELECT string_agg(event_id, ',') FROM action_samples"))
                .isEqualTo("recent");
    }

    @Test
    void analystRoleCannotReadRawAttributes() throws Exception {
        try (Connection c = db.settings().connect();
                Statement st = c.createStatement()) {
            st.execute("SET ROLE foreshadow_analyst");
            st.execute("SET foreshadow.tenant = 'shop'");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM action_stats")) {
                assertThat(rs.next()).isTrue();
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> st.executeQuery("SELECT attributes FROM action_samples"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void everyDocumentedQueryRunsAgainstTheSchema() throws Exception {
        try (HistoryWriter<ActionSample> w =
                new HistoryWriter<>(db.settings(), HistoryTables.ACTION_SAMPLES)) {
            w.add(sample("q", TODAY, "x"));
        }
        List<Path> queries;
        try (var files = java.nio.file.Files.list(Path.of("..", "sql", "queries"))) {
            queries = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(5);
        try (Connection c = db.settings().connect();
                Statement st = c.createStatement()) {
            for (Path q : queries) {
                String sql = java.nio.file.Files.readString(q);
                assertThat(sql)
                        .as(q + " opens with a comment saying what it answers")
                        .startsWith("-- ");
                try (ResultSet rs = st.executeQuery(sql)) {
                    assertThat(rs.getMetaData().getColumnCount()).as(q.toString()).isPositive();
                }
            }
        }
    }

    @Test
    void theMigrationListNamesEveryFileUnderSql() throws Exception {
        try (var files = java.nio.file.Files.list(Path.of("..", "sql"))) {
            assertThat(
                            files.map(f -> f.getFileName().toString())
                                    .filter(f -> f.matches("V\\d{3}__.+\\.sql"))
                                    .sorted())
                    .containsExactlyElementsOf(Migrations.FILES);
        }
    }

    static ActionSample sample(String eventId, Instant time, String note) {
        return sample(
                eventId,
                time,
                "order-fulfilment",
                List.of("PCI-DSS", "HIPAA \"v2\""),
                Map.of("region", "eu-west-1", "note", note));
    }

    /** A charge-card sample of {@code workflowType}; the one fixture of the history tests. */
    static ActionSample sample(
            String eventId,
            Instant time,
            String workflowType,
            List<String> certifications,
            Map<String, String> attributes) {
        return sample("shop", eventId, time, workflowType, certifications, attributes);
    }

    /** The same fixture for {@code tenant}. */
    static ActionSample sample(
            String tenant,
            String eventId,
            Instant time,
            String workflowType,
            List<String> certifications,
            Map<String, String> attributes) {
        return new ActionSample(
                eventId,
                time,
                time.minusMillis(812),
                tenant,
                workflowType,
                "run-1",
                "charge-card",
                "act-" + eventId,
                false,
                1,
                812,
                0.41,
                0.9,
                268435456L,
                18234,
                9120,
                0,
                4096,
                "TLS1.3",
                certifications,
                0.00021,
                "USD",
                false,
                attributes);
    }

    /**
     * The {@code n}-th accepted external event, a campaign of {@code tenant} from {@code source},
     * signed today; the external-events fixture of the history tests.
     */
    static VerifiedEvent externalEvent(int n, String tenant, String source) {
        Instant signed = TODAY.plusSeconds(n);
        ExternalEvent e =
                new ExternalEvent(
                        "bf-" + n,
                        tenant,
                        source,
                        "campaign",
                        TODAY.plus(Duration.ofDays(7)),
                        TODAY.plus(Duration.ofDays(8)),
                        2.5,
                        List.of("order-fulfilment", "refund \"eu\""),
                        signed.minusSeconds(30));
        String body = Json.string(e);
        return new VerifiedEvent(
                e,
                new SignedEnvelope(
                        "crm-2026-11",
                        signed.getEpochSecond(),
                        "nonce-of-event-" + n + "-0123",
                        "sha256=" + "ab".repeat(32),
                        body),
                signed.plusMillis(1500),
                "external-events/0@" + n,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = db.settings().connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = db.settings().connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
