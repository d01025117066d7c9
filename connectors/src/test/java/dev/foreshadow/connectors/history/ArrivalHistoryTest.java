package dev.foreshadow.connectors.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arrivals read back as regular series, against a real PostgreSQL with the migrations applied. */
class ArrivalHistoryTest {

    private static final Instant MONDAY_MIDNIGHT = Instant.parse("2026-11-23T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir static Path runDir;
    private static EmbeddedDatabase db;

    @BeforeAll
    static void startDatabaseWithArrivals() throws Exception {
        db = EmbeddedDatabase.start(runDir);
        try (Connection c = db.settings().connect()) {
            Migrations.apply(c);
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT fs_ensure_partitions('arrivals', ?::date, ?::date)")) {
                ps.setString(1, "2026-11-22");
                ps.setString(2, "2026-11-24");
                ps.execute();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO arrivals (bucket, tenant, workflow_type, runs) VALUES (?, ?, ?, ?)")) {
                // checkout: two tenants at 01:05 and 01:40, nothing at 02:xx, one run at 03:00
                insert(ps, "01:05", "shop", "checkout", 2);
                insert(ps, "01:40", "outlet", "checkout", 5);
                insert(ps, "03:00", "shop", "checkout", 1);
                // report: once, before the window
                insert(ps, "-00:30", "shop", "report", 9);
                ps.executeBatch();
            }
        }
    }

    private static void insert(
            PreparedStatement ps, String time, String tenant, String type, long runs)
            throws Exception {
        boolean before = time.startsWith("-");
        String[] hm = time.replace("-", "").split(":");
        long minutes = Long.parseLong(hm[0]) * 60 + Long.parseLong(hm[1]);
        Instant at = MONDAY_MIDNIGHT.plusSeconds((before ? -60 : 60) * minutes);
        ps.setTimestamp(1, Timestamp.from(at));
        ps.setString(2, tenant);
        ps.setString(3, type);
        ps.setLong(4, runs);
        ps.addBatch();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        db.close();
    }

    @Test
    void sumsTenantsPerStepAndCountsStepsWithoutRowsAsZeroUntilTheWindowEnds() throws Exception {
        List<ArrivalHistory.Steps> read;
        try (Connection c = db.settings().connect()) {
            read =
                    ArrivalHistory.read(
                            c, MONDAY_MIDNIGHT, MONDAY_MIDNIGHT.plus(Duration.ofHours(5)), HOUR);
        }

        assertThat(read).extracting(ArrivalHistory.Steps::workflowType).containsExactly("checkout");
        ArrivalHistory.Steps checkout = read.get(0);
        assertThat(checkout.firstStep()).isEqualTo(MONDAY_MIDNIGHT.getEpochSecond() / 3600 + 1);
        assertThat(checkout.values()).containsExactly(7, 0, 1, 0);
    }
}
