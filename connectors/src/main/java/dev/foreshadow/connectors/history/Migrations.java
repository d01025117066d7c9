package dev.foreshadow.connectors.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the numbered migrations of {@code sql/} (shipped in this jar under {@code sql/}) in
 * order, each once, in its own transaction, under an advisory lock so that two jobs starting
 * together do not race; then applies the retention.
 */
public final class Migrations {

    /**
     * The migrations, in order. A new file under sql/ must be added here too (a test checks the two
     * agree).
     */
    public static final List<String> FILES =
            List.of(
                    "V001__history_functions.sql",
                    "V002__action_samples.sql",
                    "V003__workflow_runs.sql",
                    "V004__action_stats.sql",
                    "V005__arrivals.sql",
                    "V006__roles.sql",
                    "V007__anomalies.sql",
                    "V008__models.sql",
                    "V009__allocation.sql",
                    "V010__external_events.sql",
                    "V013__workflow_dependencies.sql",
                    "V014__forecasts.sql");

    private static final Pattern NAME = Pattern.compile("V(\\d{3})__(.+)\\.sql");
    private static final long LOCK_KEY =
            0x6F726573686164L; // "oreshad": any constant shared by all foreshadow jobs

    private Migrations() {}

    /** Applies pending migrations and returns the names of those applied now. */
    public static List<String> apply(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        List<String> applied = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            try {
                s.execute(
                        "CREATE TABLE IF NOT EXISTS fs_schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
                                + " applied_at timestamptz NOT NULL DEFAULT now())");
                c.setAutoCommit(false);
                for (String file : FILES) {
                    Matcher m = NAME.matcher(file);
                    if (!m.matches()) {
                        throw new IllegalStateException(
                                "migration file name " + file + " is not V###__name.sql");
                    }
                    int version = Integer.parseInt(m.group(1));
                    if (isApplied(c, version)) {
                        continue;
                    }
                    s.execute(read(file));
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO fs_schema_migrations (version, name) VALUES (?, ?)")) {
                        ps.setInt(1, version);
                        ps.setString(2, m.group(2));
                        ps.executeUpdate();
                    }
                    c.commit();
                    applied.add(file);
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
                s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
                c.setAutoCommit(autoCommit);
            }
        }
        return applied;
    }

    /**
     * Enforces {@code history.retention}; returns the number of partitions dropped (0 on
     * TimescaleDB).
     */
    public static int applyRetention(Connection c, Duration retention) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT fs_apply_retention(?::interval)")) {
            ps.setString(1, retention.toSeconds() + " seconds");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static boolean isApplied(Connection c, int version) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM fs_schema_migrations WHERE version = ?")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String read(String file) {
        try (InputStream in = Migrations.class.getResourceAsStream("/sql/" + file)) {
            if (in == null) {
                throw new IllegalStateException(
                        "migration sql/" + file + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
