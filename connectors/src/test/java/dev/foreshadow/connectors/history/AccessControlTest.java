package dev.foreshadow.connectors.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import dev.foreshadow.connectors.records.ActionSample;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roles of V011, each proved by logging in as a login that holds it, against a real PostgreSQL:
 * what each can and cannot read or write, tenants bound to the login, the bounded partition
 * function, retention through the definer function, and a migration refused for want of a
 * permission saying which one.
 */
class AccessControlTest {

    @TempDir static Path runDir;
    private static EmbeddedDatabase db;
    private static final Instant TODAY = Instant.now().truncatedTo(ChronoUnit.DAYS);

    @BeforeAll
    static void startDatabaseWithLogins() throws Exception {
        db = EmbeddedDatabase.start(runDir);
        try (Connection c = db.settings().connect()) {
            Migrations.apply(c);
        }
        execute(
                "CREATE ROLE job LOGIN IN ROLE foreshadow_writer",
                "CREATE ROLE shop_analyst LOGIN IN ROLE foreshadow_analyst",
                "CREATE ROLE global_analyst LOGIN IN ROLE foreshadow_analyst",
                "CREATE ROLE shop_trainer LOGIN IN ROLE foreshadow_trainer",
                "CREATE ROLE allocator LOGIN IN ROLE foreshadow_allocator",
                "CREATE ROLE migrator LOGIN IN ROLE foreshadow_admin",
                "CREATE ROLE stranger LOGIN",
                "INSERT INTO fs_tenant_logins VALUES ('shop_analyst', 'shop'),"
                        + " ('global_analyst', '*'), ('shop_trainer', 'shop'), ('allocator', 'shop')",
                "INSERT INTO fs_pool_tenants VALUES ('gpu-shared', 'bank')");
        try (HistoryWriter<ActionSample> w =
                new HistoryWriter<>(login("job"), HistoryTables.ACTION_SAMPLES)) {
            w.add(sample("shop", "s1", TODAY.plusSeconds(1)));
            w.add(sample("bank", "b1", TODAY.plusSeconds(2)));
        }
        try (Connection c = login("allocator").connect();
                Statement s = c.createStatement()) {
            s.execute(
                    "SELECT fs_ensure_partitions('allocation_commands', current_date, current_date)");
            s.execute(
                    "SELECT fs_ensure_partitions('allocation_events', current_date, current_date)");
            for (String pool : List.of("shop/checkout", "bank/loans", "gpu-shared")) {
                s.execute(
                        "INSERT INTO allocation_commands (issued_at, command_id, pool, cores,"
                                + " memory_bytes, network_bytes_per_second, instances, ready_by,"
                                + " expires_at, reason) VALUES (now(), 'c-"
                                + pool
                                + "', '"
                                + pool
                                + "', 2, 0, 0, 1, now(), now() + interval '1 hour', 'forecast')");
            }
        }
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        db.close();
    }

    @Test
    void theWriterStoresEveryTenantsRowsOnceThroughCopyYetReadsNothing() throws Exception {
        try (HistoryWriter<ActionSample> w =
                new HistoryWriter<>(login("job"), HistoryTables.ACTION_SAMPLES)) {
            w.add(sample("shop", "s1", TODAY.plusSeconds(1))); // a replay of a stored row
            w.add(sample("shop", "s2", TODAY.plusSeconds(3)));
        }
        assertThat(
                        query(
                                db.settings(),
                                "SELECT string_agg(event_id, ',' ORDER BY event_id) FROM"
                                        + " action_samples WHERE event_id IN ('s1', 's2', 'b1')"))
                .isEqualTo("b1,s1,s2");

        assertDenied(
                "job",
                "SELECT count(*) FROM action_samples",
                "permission denied for table action_samples");
        assertDenied("job", "SELECT attributes FROM action_samples", "permission denied");
        // the job's Forecast operator reads the versions it deploys, and writes none
        assertThat(query(login("job"), "SELECT count(artifact) >= 0 FROM models")).isEqualTo("t");
        assertDenied(
                "job",
                "INSERT INTO models (workflow_type, model_type, version, training_from, training_to,"
                        + " metrics, artifact, created_at) VALUES ('*', 'lstm', 99, now(), now(), '{}',"
                        + " '\\x00', now())",
                "permission denied for table models");
        assertDenied("job", "SELECT * FROM allocation_commands", "permission denied");
        assertDenied("job", "SELECT count(*) FROM " + todaysPartition(), "permission denied");
    }

    @Test
    void partitionsAreBoundedInDaysAndOnlyTheJobRolesMayCreateThem() {
        assertDenied(
                "stranger",
                "SELECT fs_ensure_partitions('action_samples', current_date, current_date)",
                "permission denied for function fs_ensure_partitions");
        assertDenied(
                "job",
                "SELECT fs_ensure_partitions('action_samples', current_date + 400, current_date + 400)",
                "refusing");
        assertDenied(
                "job",
                "SELECT fs_ensure_partitions('action_samples', current_date - 300, current_date)",
                "at most 31 days");
        assertDenied(
                "job",
                "SELECT fs_ensure_partitions('pg_class', current_date, current_date)",
                "is not a history table");
    }

    @Test
    void theWriterEnforcesRetentionOnlyThroughTheNarrowDefinerFunction() throws Exception {
        try (HistoryWriter<ActionSample> w =
                new HistoryWriter<>(login("job"), HistoryTables.ACTION_SAMPLES)) {
            w.add(sample("shop", "expired", TODAY.minus(Duration.ofDays(400))));
            w.flush();
            assertThat(w.applyRetention(Duration.ofDays(365))).isGreaterThanOrEqualTo(1);
        }
        assertThat(
                        query(
                                db.settings(),
                                "SELECT count(*) FROM action_samples WHERE event_id = 'expired'"))
                .isEqualTo("0");
        assertDenied(
                "job",
                "SELECT fs_apply_retention(interval '1 second')",
                "permission denied for function fs_apply_retention");
        assertDenied("job", "SELECT fs_enforce_retention(interval '1 hour')", "under one day");
        assertDenied("job", "DROP TABLE action_samples", "must be owner");
    }

    @Test
    void anAnalystSeesOnlyTheTenantsItsLoginIsBoundToWhateverTheSessionSets() throws Exception {
        String tenants =
                "SELECT string_agg(DISTINCT tenant, ',' ORDER BY tenant) FROM action_samples";
        assertThat(query(login("shop_analyst"), tenants)).isEqualTo("shop");
        assertThat(query(login("shop_analyst"), "SET foreshadow.tenant = '*'; " + tenants))
                .isEqualTo("shop");
        assertThat(query(login("shop_analyst"), "SET ROLE foreshadow_analyst; " + tenants))
                .as("the group role itself is bound to no tenant")
                .isNull();
        assertThat(query(login("global_analyst"), tenants)).isEqualTo("bank,shop");
        assertThat(
                        query(
                                login("shop_analyst"),
                                "SELECT string_agg(tenant, ',') FROM fs_tenant_logins"))
                .as("a login sees only its own bindings")
                .isEqualTo("shop");
    }

    @Test
    void anAnalystReadsNeitherAttributesNorArtifactsAndWritesNothing() throws Exception {
        assertThat(
                        query(
                                login("shop_analyst"),
                                "SELECT count(cost) FROM action_samples WHERE event_id IN ('s1', 'b1')"))
                .isEqualTo("1");
        assertDenied("shop_analyst", "SELECT attributes FROM action_samples", "permission denied");
        assertDenied(
                "shop_analyst",
                "SELECT count(*) FROM " + todaysPartition(),
                "permission denied for table " + todaysPartition());
        assertDenied("shop_analyst", "SELECT artifact FROM models", "permission denied");
        assertThat(query(login("shop_analyst"), "SELECT count(version) >= 0 FROM models"))
                .isEqualTo("t");
        assertDenied(
                "shop_analyst",
                "INSERT INTO arrivals (bucket, tenant, workflow_type, runs) VALUES (now(), 'shop', 'x', 1)",
                "permission denied for table arrivals");
    }

    @Test
    void poolsBelongToTheConfiguredTenantElseToTheirNamesPrefix() throws Exception {
        String pools = "SELECT string_agg(pool, ',' ORDER BY pool) FROM allocation_commands";
        assertThat(query(login("shop_analyst"), pools)).isEqualTo("shop/checkout");
        assertThat(query(login("global_analyst"), pools))
                .isEqualTo("bank/loans,gpu-shared,shop/checkout");
        assertThat(query(login("allocator"), pools)).isEqualTo("shop/checkout");
    }

    @Test
    void theAllocatorReadsCommandsAndWritesEventsButNoHistory() throws Exception {
        try (Connection c = login("allocator").connect();
                Statement s = c.createStatement()) {
            s.execute(
                    "INSERT INTO allocation_events (time, event_id, pool, action, rule, result)"
                            + " VALUES (now(), 'e1', 'shop/checkout', 'command', 'floor', 'ok')");
        }
        assertThat(
                        query(
                                db.settings(),
                                "SELECT count(*) FROM allocation_events WHERE event_id = 'e1'"))
                .isEqualTo("1");
        assertDenied("allocator", "SELECT count(*) FROM allocation_events", "permission denied");
        assertDenied("allocator", "SELECT count(*) FROM action_samples", "permission denied");
        assertDenied("allocator", "SELECT artifact FROM models", "permission denied");
    }

    @Test
    void theTrainerReadsItsTenantsHistoryAndWritesModelsButNotAttributes() throws Exception {
        assertThat(
                        query(
                                login("shop_trainer"),
                                "SELECT string_agg(DISTINCT tenant, ',') FROM action_samples"))
                .isEqualTo("shop");
        assertThat(
                        query(
                                login("shop_trainer"),
                                "INSERT INTO models (workflow_type, model_type, version, training_from,"
                                        + " training_to, metrics, artifact, created_at) VALUES ('checkout',"
                                        + " 'snaive24', 1, now(), now(), '{}', '\\x00', now()) RETURNING version"))
                .isEqualTo("1");
        assertDenied("shop_trainer", "SELECT attributes FROM action_samples", "permission denied");
        assertDenied(
                "shop_trainer",
                "INSERT INTO arrivals (bucket, tenant, workflow_type, runs) VALUES (now(), 'shop', 'x', 1)",
                "permission denied for table arrivals");
    }

    @Test
    void anEmptyTenantIsRefusedByACheck() throws Exception {
        execute("SELECT fs_ensure_partitions('arrivals', current_date, current_date)");
        assertThatThrownBy(
                        () ->
                                execute(
                                        "INSERT INTO arrivals (bucket, tenant, workflow_type, runs)"
                                                + " VALUES (now(), '', 'x', 1)"))
                .hasMessageContaining("arrivals_tenant_not_empty");
        assertThatThrownBy(() -> execute("INSERT INTO fs_tenant_logins VALUES ('stranger', '')"))
                .hasMessageContaining("fs_tenant_logins_tenant_check");
    }

    @Test
    void theAdminRunsTheMigrationsAndOwnsEveryTable() throws Exception {
        try (Connection c = login("migrator").connect()) {
            assertThat(Migrations.apply(c)).isEmpty();
        }
        assertThat(
                        query(
                                db.settings(),
                                "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'"
                                        + " AND tableowner <> 'foreshadow_admin'"))
                .isNull();
        assertThat(query(login("migrator"), "SELECT count(attributes) FROM action_samples"))
                .isNotEqualTo("0");
    }

    @Test
    void theJobsLoginsFindTheSchemaUpToDateWithoutWritingIt() throws Exception {
        for (String login : List.of("job", "allocator", "shop_trainer")) {
            try (Connection c = login(login).connect()) {
                assertThat(Migrations.apply(c)).as(login).isEmpty();
            }
        }
    }

    @Test
    void aMigrationRefusedForWantOfAPermissionNamesThatPermission() throws Exception {
        execute("CREATE DATABASE empty_history");
        PostgresSettings jobOnEmpty =
                new PostgresSettings(
                        db.jdbcUrl().replaceAll("/postgres$", "/empty_history"), "job", null);
        assertThatThrownBy(
                        () -> {
                            try (Connection c = jobOnEmpty.connect()) {
                                Migrations.apply(c);
                            }
                        })
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("as job")
                .hasMessageContaining("permission denied for schema public")
                .hasMessageContaining("foreshadow_admin")
                .hasMessageNotContaining("autoCommit");
    }

    private static ActionSample sample(String tenant, String eventId, Instant time) {
        return HistoryWriterTest.sample(
                tenant, eventId, time, "checkout", List.of(), Map.of("note", "n"));
    }

    /** The partition of today's samples, which the writer COPYs into. */
    private static String todaysPartition() {
        return "action_samples_p"
                + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd")
                        .format(TODAY.atZone(java.time.ZoneOffset.UTC));
    }

    private static PostgresSettings login(String user) {
        return new PostgresSettings(db.jdbcUrl(), user, null);
    }

    private static void assertDenied(String user, String sql, String reason) {
        assertThatThrownBy(() -> query(login(user), sql))
                .as(user + ": " + sql)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(reason);
    }

    /** The first column of the last statement's first row, as text. */
    private static String query(PostgresSettings as, String sql) throws SQLException {
        try (Connection c = as.connect();
                Statement s = c.createStatement()) {
            String[] statements = sql.split("; ");
            for (int i = 0; i < statements.length - 1; i++) {
                s.execute(statements[i]);
            }
            try (ResultSet rs = s.executeQuery(statements[statements.length - 1])) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void execute(String... sql) throws SQLException {
        try (Connection c = db.settings().connect();
                Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }
}
