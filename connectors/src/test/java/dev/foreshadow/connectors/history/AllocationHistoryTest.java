package dev.foreshadow.connectors.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.AllocationStatus;
import dev.foreshadow.models.lifecycle.Capacity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The allocation tables (V009) and their writers, against a real PostgreSQL. */
class AllocationHistoryTest {

    @TempDir static Path runDir;
    private static EmbeddedDatabase db;
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

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

    private static AllocationCommand command(String id, boolean dryRun) {
        return new AllocationCommand(
                id,
                "shop/orders",
                12.5,
                64L << 30,
                0,
                2,
                NOW.plusSeconds(600),
                NOW.plusSeconds(3600),
                List.of("PCI-DSS"),
                Double.NaN,
                "anomaly",
                NOW,
                dryRun);
    }

    private static AllocationStatus event(String id, Instant at, String to, int inService) {
        return new AllocationStatus(
                id,
                at,
                "shop/orders",
                "transition",
                "c-1",
                "i-1",
                "ready",
                to,
                "put-in-service",
                "put in service",
                new Capacity(2, 0, 0, 1, 0, inService, 0, 0));
    }

    @Test
    void everyCommandIsStoredOnceWhateverWritesItAgain() throws Exception {
        for (int round = 0; round < 2; round++) {
            try (HistoryWriter<AllocationCommand> w =
                    new HistoryWriter<>(db.settings(), HistoryTables.ALLOCATION_COMMANDS)) {
                w.add(command("c-once", false));
                w.add(command("c-dry", true));
            }
        }

        assertThat(
                        rows(
                                "SELECT command_id || ' ' || pool || ' ' || cores || ' ' || instances || ' '"
                                        + " || array_to_string(certifications, ',') || ' ' || reason || ' ' || dry_run"
                                        + " || ' ' || quantile::text || ' ' || (ready_by - issued_at)"
                                        + " FROM allocation_commands WHERE command_id LIKE 'c-%' ORDER BY command_id"))
                .containsExactly(
                        "c-dry shop/orders 12.5 2 PCI-DSS anomaly true NaN 00:10:00",
                        "c-once shop/orders 12.5 2 PCI-DSS anomaly false NaN 00:10:00");
    }

    @Test
    void theAuditKeepsEveryChangeOnceWithThePoolsCapacityAfterIt() throws Exception {
        List<AllocationStatus> events =
                List.of(
                        event("e-1", NOW, "in-service", 1),
                        new AllocationStatus(
                                "e-2",
                                NOW.plusSeconds(61),
                                "shop/orders",
                                "request",
                                null,
                                null,
                                null,
                                null,
                                "replace-failed",
                                "requested 1\tof\n2",
                                new Capacity(3, 2, 0, 0, 0, 1, 0, 1)));
        for (int round = 0; round < 2; round++) {
            try (HistoryWriter<AllocationStatus> w =
                    new HistoryWriter<>(db.settings(), HistoryTables.ALLOCATION_EVENTS)) {
                events.forEach(w::add);
            }
        }

        assertThat(
                        rows(
                                "SELECT event_id || ' ' || action || ' ' || coalesce(instance_id, '-') || ' '"
                                        + " || coalesce(from_state, '-') || '->' || coalesce(to_state, '-') || ' ' || rule"
                                        + " || ' ' || target || '/' || requested || '/' || in_service || '/' || failed"
                                        + " FROM allocation_events WHERE event_id LIKE 'e-%' ORDER BY time"))
                .containsExactly(
                        "e-1 transition i-1 ready->in-service put-in-service 2/0/1/0",
                        "e-2 request - -->- replace-failed 3/2/1/1");
        assertThat(rows("SELECT result FROM allocation_events WHERE event_id = 'e-2'"))
                .containsExactly("requested 1\tof\n2");
        assertThat(
                        rows(
                                "SELECT to_char(minute, 'SS') || ' ' || target || ' ' || coming || ' ' || ready"
                                        + " FROM ("
                                        + Files.readString(
                                                        Path.of(
                                                                "..",
                                                                "sql",
                                                                "queries",
                                                                "07_pool_capacity_by_state.sql"))
                                                .strip()
                                                .replaceAll(";$", "")
                                        + ") q WHERE pool = 'shop/orders' ORDER BY minute"))
                .as("the documented query reads capacity by state per minute")
                .containsExactly("00 2 1 1", "00 3 2 1");
    }

    @Test
    void theAnalystReadsTheAllocationTables() throws Exception {
        try (Connection c = db.settings().connect();
                Statement st = c.createStatement()) {
            st.execute("SET ROLE foreshadow_analyst");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM allocation_events")) {
                assertThat(rs.next()).isTrue();
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM allocation_commands")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    private static List<String> rows(String sql) throws Exception {
        try (Connection c = db.settings().connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
