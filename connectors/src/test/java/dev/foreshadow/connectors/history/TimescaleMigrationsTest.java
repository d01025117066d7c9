package dev.foreshadow.connectors.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import dev.foreshadow.connectors.records.ActionSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TimescaleDB path of the migrations (hypertables, time_bucket, retention policies), against a
 * real TimescaleDB: the one at {@code FORESHADOW_TIMESCALE_URL} when set, else an in-memory PGlite
 * with TimescaleDB 2.23 that this test starts with {@code .ci/timescale.sh} (Node.js 20+ and the
 * npm registry) and stops afterwards. The database may be shared with earlier runs, so every row
 * written here carries an id unique to this run and nothing assumes empty tables.
 *
 * <p>PGlite serves one connection at a time (others wait in a queue): a test never holds two
 * connections at once. The plain path's results are compared with those of an embedded plain
 * PostgreSQL 17 holding the same history ({@link HistoryFixture}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TimescaleMigrationsTest {

    static final String URL_ENV = "FORESHADOW_TIMESCALE_URL";
    private static final List<String> HISTORY_TABLES =
            List.of(
                    "action_samples",
                    "workflow_runs",
                    "action_stats",
                    "arrivals",
                    "anomalies",
                    "allocation_commands",
                    "allocation_events",
                    "external_events",
                    "workflow_dependencies",
                    "forecasts");
    private static final Instant TODAY = Instant.now().truncatedTo(ChronoUnit.DAYS);

    private static PostgresSettings settings;

    /** Plain PostgreSQL beside it, for the same queries over the same history. */
    private static EmbeddedDatabase plain;

    @TempDir static Path plainDir;

    private static final HistoryFixture HISTORY =
            new HistoryFixture(
                    "h" + UUID.randomUUID().toString().substring(0, 6),
                    Instant.now().minus(Duration.ofHours(2)));

    /** The server this test started (and must stop), or false when it was given one. */
    private static boolean startedHere;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void applyMigrations() throws Exception {
        String url = System.getenv(URL_ENV);
        if (url == null || url.isBlank()) {
            url = startServer();
            startedHere = true;
        }
        settings = new PostgresSettings(url, null, null);
        try (Connection c = settings.connect()) {
            Migrations.apply(c);
            assertThat(Migrations.apply(c)).as("a second start applies nothing").isEmpty();
        }
        assertThat(query("SELECT count(*) FROM fs_schema_migrations"))
                .isEqualTo(String.valueOf(Migrations.FILES.size()));
        plain = EmbeddedDatabase.start(plainDir);
        try (Connection c = plain.settings().connect()) {
            Migrations.apply(c);
        }
        HISTORY.write(settings);
        HISTORY.write(plain.settings());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (plain != null) {
            plain.close();
        }
        if (startedHere) {
            script("stop");
        }
    }

    /** Starts PGlite with TimescaleDB through .ci/timescale.sh and returns its JDBC URL. */
    private static String startServer() {
        try {
            Script started = script();
            if (started.exit() != 0 || !started.out().startsWith("jdbc:postgresql:")) {
                fail(
                        "cannot start TimescaleDB (PGlite) with .ci/timescale.sh, which needs Node.js 20+ and npm;"
                                + " or set "
                                + URL_ENV
                                + " to a TimescaleDB server: "
                                + started.err());
            }
            return started.out();
        } catch (Exception e) {
            return fail("cannot run .ci/timescale.sh: " + e.getMessage());
        }
    }

    private record Script(int exit, String out, String err) {}

    private static Script script(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ".ci/timescale.sh"));
        command.addAll(List.of(args));
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path err = Files.createTempFile("timescale", ".err");
        try {
            Process p =
                    new ProcessBuilder(command)
                            .directory(root.toFile())
                            .redirectError(err.toFile())
                            .start();
            String out =
                    new String(
                                    p.getInputStream().readAllBytes(),
                                    java.nio.charset.StandardCharsets.UTF_8)
                            .strip();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Script(-1, out, "timed out after 5 minutes");
            }
            String errText = Files.readString(err).strip();
            return new Script(
                    p.exitValue(),
                    out,
                    errText.length() > 2000 ? errText.substring(errText.length() - 2000) : errText);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @Test
    void theMigrationsTakeTheTimescalePathRatherThanFallingBackToPlainPartitions()
            throws SQLException {
        assertThat(query("SELECT fs_has_timescaledb()")).isEqualTo("t");
        assertThat(query("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'"))
                .startsWith("2.");
        assertThat(query("SELECT count(*) FROM pg_partitioned_table"))
                .as("no declarative partitioning")
                .isEqualTo("0");
    }

    @Test
    void everyHistoryTableIsAHypertableWithDailyChunks() throws SQLException {
        assertThat(column("SELECT name FROM fs_history_tables ORDER BY name"))
                .containsExactlyInAnyOrderElementsOf(HISTORY_TABLES);
        assertThat(
                        column(
                                "SELECT h.hypertable_name || ' ' || d.time_interval"
                                        + " FROM timescaledb_information.hypertables h"
                                        + " JOIN timescaledb_information.dimensions d USING (hypertable_schema, hypertable_name)"
                                        + " JOIN fs_history_tables t ON t.name = h.hypertable_name AND t.time_column = d.column_name"))
                .containsExactlyInAnyOrderElementsOf(
                        HISTORY_TABLES.stream().map(t -> t + " 1 day").toList());
    }

    @Test
    void aSampleWrittenByTheHistoryWriterIsStoredInAChunkAndReadBack() throws Exception {
        ActionSample s = sample("e-" + run, TODAY.plusSeconds(60), "wf-" + run);

        try (HistoryWriter<ActionSample> w =
                new HistoryWriter<>(settings, HistoryTables.ACTION_SAMPLES)) {
            w.add(s);
        }

        try (Connection c = settings.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT a.*, a.tableoid::regclass::text AS stored_in FROM action_samples a WHERE event_id = ?")) {
            ps.setString(1, s.eventId());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getTimestamp("time").toInstant()).isEqualTo(s.time());
                assertThat(rs.getString("action_id")).isEqualTo(s.actionId());
                assertThat(rs.getLong("peak_memory_bytes")).isEqualTo(s.peakMemoryBytes());
                assertThat(rs.getDouble("cost")).isEqualTo(s.cost());
                assertThat((String[]) rs.getArray("certifications").getArray())
                        .containsExactly("PCI-DSS", "HIPAA");
                assertThat(rs.getString("attributes")).contains("eu-west-1");
                assertThat(rs.getString("stored_in"))
                        .as("a chunk, not the hypertable")
                        .startsWith("_timescaledb_internal.");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void replayingRowsIntoAHypertableStoresEachOnce() throws Exception {
        String wf = "wf-" + run;
        try (HistoryWriter<ActionSample> w =
                new HistoryWriter<>(settings, HistoryTables.ACTION_SAMPLES)) {
            w.add(sample("a-" + run, TODAY, wf));
            w.add(sample("b-" + run, TODAY.plusSeconds(5), wf));
            w.flush();
            w.add(sample("b-" + run, TODAY.plusSeconds(5), wf));
            w.add(sample("c-" + run, TODAY.minus(Duration.ofDays(1)), wf));
            w.flush();
            assertThat(w.replayedBatches()).isEqualTo(1);
        }

        assertThat(
                        query(
                                "SELECT string_agg(left(event_id, 1), ',' ORDER BY event_id) FROM action_samples"
                                        + " WHERE workflow_type = '"
                                        + wf
                                        + "'"))
                .isEqualTo("a,b,c");
    }

    @Test
    void timeBucketGroupsActionSamplesIntoHours() throws Exception {
        String wf = "wf-" + run;
        Instant hour = TODAY.plus(Duration.ofHours(3));
        try (HistoryWriter<ActionSample> w =
                new HistoryWriter<>(settings, HistoryTables.ACTION_SAMPLES)) {
            w.add(sample("t1-" + run, hour.plusSeconds(10), wf));
            w.add(sample("t2-" + run, hour.plusSeconds(3599), wf));
            w.add(sample("t3-" + run, hour.plusSeconds(3600), wf));
        }

        assertThat(
                        column(
                                "SELECT to_char(hour AT TIME ZONE 'UTC', 'HH24') || ' ' || samples || ' ' || duration_ms"
                                        + " FROM (SELECT time_bucket('1 hour', time) AS hour, count(*) AS samples,"
                                        + " sum(duration_ms) AS duration_ms FROM action_samples WHERE workflow_type = '"
                                        + wf
                                        + "'"
                                        + " GROUP BY hour) b ORDER BY hour"))
                .containsExactly("03 2 1624", "04 1 812");
    }

    @Test
    void retentionSetsOneRetentionPolicyPerHistoryTableAndTheirJobDropsOldChunks()
            throws Exception {
        String wf = "wf-" + run;
        try (HistoryWriter<ActionSample> w =
                new HistoryWriter<>(settings, HistoryTables.ACTION_SAMPLES)) {
            w.add(sample("old-" + run, TODAY.minus(Duration.ofDays(40)), wf));
            w.add(sample("new-" + run, TODAY.minus(Duration.ofDays(2)), wf));
        }

        try (Connection c = settings.connect()) {
            assertThat(Migrations.applyRetention(c, Duration.ofDays(90)))
                    .as("nothing dropped by hand")
                    .isZero();
            assertThat(Migrations.applyRetention(c, Duration.ofDays(30)))
                    .as("nothing dropped by hand")
                    .isZero();
        }
        Map<String, String> policies = new LinkedHashMap<>();
        for (String row :
                column(
                        "SELECT hypertable_name || ' ' || job_id || ' ' || (config->>'drop_after')::interval"
                                + " FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention' ORDER BY job_id")) {
            String[] f = row.split(" ", 3);
            assertThat(policies.put(f[0], f[1])).as("one retention policy on " + f[0]).isNull();
            assertThat(f[2]).as("policy of " + f[0]).isIn("30 days", "720:00:00");
        }
        List<String> retained = new ArrayList<>(HISTORY_TABLES);
        retained.add("fs_action_stats_hourly");
        assertThat(policies).as("the tables and the hourly aggregate").containsOnlyKeys(retained);

        // PGlite runs no background workers, so no scheduler starts the job: run it in the
        // foreground as it would.
        execute("CALL run_job(" + policies.get("action_samples") + ")");

        assertThat(
                        query(
                                "SELECT string_agg(left(event_id, 3), ',') FROM action_samples WHERE workflow_type = '"
                                        + wf
                                        + "'"))
                .isEqualTo("new");
    }

    @Test
    void everyDocumentedQueryRunsAgainstTheHypertables() throws Exception {
        List<Path> queries;
        try (var files = Files.list(Path.of("..", "sql", "queries"))) {
            queries = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(queries).isNotEmpty();
        try (Connection c = settings.connect();
                Statement st = c.createStatement()) {
            for (Path q : queries) {
                try (ResultSet rs = st.executeQuery(Files.readString(q))) {
                    assertThat(rs.getMetaData().getColumnCount()).as(q.toString()).isPositive();
                }
            }
        }
    }

    @Test
    @Order(1)
    void theDocumentedQueriesAndTheHourlyStatisticsGiveThePlainPathsRowsBeforeAndAfterARefresh()
            throws Exception {
        Map<String, String> queries = comparedQueries();
        Map<String, List<String>> onPlain = new LinkedHashMap<>();
        try (Connection c = plain.settings().connect()) {
            for (Map.Entry<String, String> q : queries.entrySet()) {
                onPlain.put(q.getKey(), HISTORY.rows(c, q.getValue()));
            }
        }
        assertThat(onPlain.get("action_stats_hourly"))
                .as("an hour of each (type, action) of the fixture")
                .hasSizeGreaterThan(HISTORY.days * 24 * 6);
        // before any refresh the aggregate answers in real time from the samples; after it, from
        // what it materialised
        for (String when : List.of("real-time", "materialised")) {
            if (when.equals("materialised")) {
                execute("CALL refresh_continuous_aggregate('fs_action_stats_hourly', NULL, NULL)");
                assertThat(
                                Integer.parseInt(
                                        query(
                                                "SELECT count(*) FROM _timescaledb_internal."
                                                        + query(
                                                                "SELECT materialization_hypertable_name FROM"
                                                                        + " timescaledb_information.continuous_aggregates"
                                                                        + " WHERE view_name = 'fs_action_stats_hourly'"))))
                        .as("hours materialised")
                        .isPositive();
            }
            try (Connection c = settings.connect()) {
                for (Map.Entry<String, String> q : queries.entrySet()) {
                    assertThat(HISTORY.rows(c, q.getValue()))
                            .as(q.getKey() + " (" + when + ")")
                            .isNotEmpty()
                            .containsExactlyElementsOf(onPlain.get(q.getKey()));
                }
            }
        }
    }

    @Test
    @Order(2)
    void everyDashboardPanelGivesThePlainPathsRows() throws Exception {
        Map<String, String> queries =
                Dashboards.queries(
                        HISTORY.start(), HISTORY.end(), GrafanaDashboardsTest.oneType(HISTORY));
        for (Map.Entry<String, String> q : queries.entrySet()) {
            // a variable lists every workflow type or pool of the database: only the fixture's are
            // compared; a panel is restricted to the fixture's workflow type and pool
            boolean variable = q.getKey().contains(" / $");
            List<String> expected;
            try (Connection c = plain.settings().connect()) {
                expected =
                        variable
                                ? HISTORY.rows(c, q.getValue())
                                : HistoryFixture.allRows(c, q.getValue());
            }
            try (Connection c = settings.connect()) {
                assertThat(
                                variable
                                        ? HISTORY.rows(c, q.getValue())
                                        : HistoryFixture.allRows(c, q.getValue()))
                        .as(q.getKey())
                        .isNotEmpty()
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    /**
     * Every documented query (without its LIMIT: the other rows of a shared database must not push
     * the fixture's out) and the hourly statistics, by name.
     */
    static Map<String, String> comparedQueries() throws Exception {
        Map<String, String> queries = new LinkedHashMap<>();
        try (var files = Files.list(Path.of("..", "sql", "queries"))) {
            for (Path q : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                queries.put(
                        q.getFileName().toString(),
                        Files.readString(q).replaceAll("(?is)\\s+LIMIT\\s+\\d+\\s*;?\\s*$", ""));
            }
        }
        queries.put("action_stats_hourly", "SELECT * FROM action_stats_hourly");
        return queries;
    }

    @Test
    void theHourlyStatisticsAreAContinuousAggregateRefreshedByAPolicyAndAnsweringInRealTime()
            throws SQLException {
        assertThat(
                        query(
                                "SELECT materialized_only || ' ' || compression_enabled FROM"
                                        + " timescaledb_information.continuous_aggregates WHERE view_name = 'fs_action_stats_hourly'"))
                .isEqualTo("false true");
        assertThat(
                        query(
                                "SELECT schedule_interval || ' ' || (config->>'start_offset') || ' ' || (config->>'end_offset')"
                                        + " FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate'"
                                        + " AND hypertable_name = 'fs_action_stats_hourly'"))
                .isEqualTo("00:30:00 3 days 01:00:00");
    }

    @Test
    void compressionPoliciesCoverTheLargeTablesWithoutTenantPoliciesAndTheHourlyAggregate()
            throws SQLException {
        assertThat(
                        column(
                                "SELECT hypertable_name || ' ' || (config->>'compress_after') FROM timescaledb_information.jobs"
                                        + " WHERE proc_name = 'policy_compression' ORDER BY 1"))
                .as(
                        "TimescaleDB refuses compression where row-level security is on (V011 gives the"
                                + " allocation tables tenant policies too)")
                .contains("fs_action_stats_hourly 7 days")
                .noneMatch(
                        row ->
                                row.startsWith("action_samples")
                                        || row.startsWith("anomalies")
                                        || row.startsWith("allocation_events"));
    }

    @Test
    void theAnalystReadsTheHourlyStatisticsOfItsTenantOnlyAndTheSamplesStayUnderTheirPolicy()
            throws SQLException {
        try (Connection c = settings.connect();
                Statement st = c.createStatement()) {
            st.execute("SET ROLE foreshadow_analyst");
            // the session cannot choose its tenant: only the login's binding counts
            st.execute("SET foreshadow.tenant = '" + HISTORY.tenant() + "'");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM action_stats_hourly")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM action_samples")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
            st.execute("RESET ROLE");
            st.execute(
                    "INSERT INTO fs_tenant_logins VALUES ('foreshadow_analyst', '"
                            + HISTORY.tenant()
                            + "')");
            try {
                st.execute("SET ROLE foreshadow_analyst");
                try (ResultSet rs =
                        st.executeQuery(
                                "SELECT count(DISTINCT tenant), sum(samples) FROM action_stats_hourly")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                    assertThat(rs.getLong(2)).isEqualTo(HISTORY.sampleCount());
                }
                st.execute("RESET ROLE");
            } finally {
                st.execute("DELETE FROM fs_tenant_logins WHERE login = 'foreshadow_analyst'");
            }
        }
    }

    /**
     * Last: it turns the samples' row-level security off, as a single-tenant deployment that wants
     * them compressed does.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aSingleTenantDeploymentCompressesItsSamplesAndAReplayIntoACompressedChunkIsStoredOnce()
            throws Exception {
        String wf = "wf-" + run;
        Instant old = TODAY.minus(Duration.ofDays(12)).plusSeconds(3600);
        try (HistoryWriter<ActionSample> w =
                new HistoryWriter<>(settings, HistoryTables.ACTION_SAMPLES)) {
            w.add(sample("c1-" + run, old, wf));
        }
        execute("ALTER TABLE action_samples DISABLE ROW LEVEL SECURITY");
        assertThat(query("SELECT array_to_string(fs_enable_compression('7 days'), ',')"))
                .contains("action_samples");
        execute(
                "SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('action_samples',"
                        + " older_than => interval '7 days') c");
        String chunkCompressed =
                "SELECT bool_and(is_compressed) FROM timescaledb_information.chunks WHERE hypertable_name = 'action_samples'"
                        + " AND range_start <= '"
                        + old
                        + "' AND range_end > '"
                        + old
                        + "'";
        assertThat(query(chunkCompressed)).isEqualTo("t");

        try (HistoryWriter<ActionSample> w =
                new HistoryWriter<>(settings, HistoryTables.ACTION_SAMPLES)) {
            w.add(sample("c1-" + run, old, wf)); // a replay into the compressed chunk
            w.add(sample("c2-" + run, old.plusSeconds(60), wf)); // a straggler into it
            w.flush();
        }

        assertThat(
                        query(
                                "SELECT string_agg(left(event_id, 2), ',' ORDER BY event_id) FROM action_samples"
                                        + " WHERE workflow_type = '"
                                        + wf
                                        + "' AND time < now() - interval '7 days'"))
                .isEqualTo("c1,c2");
    }

    private static ActionSample sample(String eventId, Instant time, String workflowType) {
        return HistoryWriterTest.sample(
                eventId,
                time,
                workflowType,
                List.of("PCI-DSS", "HIPAA"),
                Map.of("region", "eu-west-1"));
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = settings.connect();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String query(String sql) throws SQLException {
        List<String> values = column(sql);
        assertThat(values).as(sql).hasSize(1);
        return values.get(0);
    }

    private static List<String> column(String sql) throws SQLException {
        try (Connection c = settings.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }
}
