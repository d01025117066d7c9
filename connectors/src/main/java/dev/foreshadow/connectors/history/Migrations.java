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
                    "V011__access.sql",
                    "V012__timescale_features.sql",
                    "V013__workflow_dependencies.sql",
                    "V014__forecasts.sql",
                    "V015__prediction_access.sql");

    private static final Pattern NAME = Pattern.compile("V(\\d{3})__(.+)\\.sql");
    private static final long LOCK_KEY =
            0x6F726573686164L; // "oreshad": any constant shared by all foreshadow jobs

    private Migrations() {}

    /**
     * Applies pending migrations and returns the names of those applied now. From V012 on each runs
     * as {@code foreshadow_admin} when the login is a member of it, so that the group owns what
     * they create (not on TimescaleDB, see {@link #timescale}). A failure names the migration, the
     * login and the database's own reason (e.g. the permission that is missing): migrations need a
     * login of {@code foreshadow_admin}.
     */
    public static List<String> apply(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        List<String> applied = new ArrayList<>();
        String current = null;
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            try {
                current = "fs_schema_migrations";
                if (!exists(c, "fs_schema_migrations")) {
                    s.execute(
                            "CREATE TABLE IF NOT EXISTS fs_schema_migrations (version integer PRIMARY KEY,"
                                    + " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
                }
                c.setAutoCommit(false);
                for (String file : FILES) {
                    current = file;
                    Matcher m = NAME.matcher(file);
                    if (!m.matches()) {
                        throw new IllegalStateException(
                                "migration file name " + file + " is not V###__name.sql");
                    }
                    int version = Integer.parseInt(m.group(1));
                    if (isApplied(c, version)) {
                        continue;
                    }
                    if (version > ADMIN_FROM && isAdmin(c) && !timescale(c)) {
                        s.execute("SET LOCAL ROLE foreshadow_admin");
                    }
                    s.execute(withoutCommentLines(read(file)));
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
            } catch (SQLException e) {
                rollback(c, e);
                throw new SQLException(
                        "applying "
                                + current
                                + " as "
                                + login(c)
                                + " failed: "
                                + e.getMessage()
                                + (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())
                                        ? " (migrations need a login of foreshadow_admin)"
                                        : ""),
                        e.getSQLState(),
                        e);
            } catch (RuntimeException e) {
                rollback(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
                s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
                c.setAutoCommit(autoCommit);
            }
        }
        return applied;
    }

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    /** The last migration that runs as the login itself; later ones run as foreshadow_admin. */
    private static final int ADMIN_FROM = 11;

    /** Rolls back if a transaction is open, keeping the original failure as the one reported. */
    private static void rollback(Connection c, Exception failure) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static String login(Connection c) {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT session_user")) {
            return rs.next() ? rs.getString(1) : "?";
        } catch (SQLException e) {
            return "?";
        }
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Whether the database has TimescaleDB, whose objects stay with the login that ran the
     * migrations (its retention policies run as the hypertables' owner): there they are not run as
     * the admin group.
     */
    private static boolean timescale(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static boolean isAdmin(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'foreshadow_admin')"
                                        + " AND pg_has_role(session_user, 'foreshadow_admin', 'MEMBER')")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * Enforces {@code history.retention}; returns the number of partitions dropped (0 on
     * TimescaleDB, whose retention policies drop chunks). The admin (or a superuser) runs {@code
     * fs_apply_retention} itself; the job's roles go through the narrow definer function {@code
     * fs_enforce_retention}.
     */
    public static int applyRetention(Connection c, Duration retention) throws SQLException {
        String function =
                canExecute(c, "fs_apply_retention(interval)")
                        ? "fs_apply_retention"
                        : "fs_enforce_retention";
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?::interval)")) {
            ps.setString(1, retention.toSeconds() + " seconds");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static boolean canExecute(Connection c, String function) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT has_function_privilege(?, 'EXECUTE')")) {
            ps.setString(1, function);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
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

    /**
     * {@code sql} without its whole-line comments: they are for readers of {@code sql/}, and the
     * TimescaleDB of the tests (PGlite behind its socket server) crashed on V011 sent whole (about
     * 13.7 kB with its banner), while the same statements without it ran.
     */
    static String withoutCommentLines(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        for (String line : sql.split("\n", -1)) {
            if (!line.stripLeading().startsWith("--")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
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
