package dev.foreshadow.connectors.history;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows of one history table in batches with COPY, idempotently.
 *
 * <p>Fast path: the batch is COPYed straight into the table. If that hits a row that is already
 * stored (a replay after recovery, SQLSTATE 23505), the batch is rolled back to a savepoint and
 * goes through a temporary staging table with {@code INSERT ... ON CONFLICT DO NOTHING}, so
 * replaying the same rows stores each once while the normal path keeps COPY's speed.
 *
 * <p>A login to which the table's row-level security applies (the job as {@code foreshadow_writer})
 * may not COPY into it (SQLSTATE 0A000). From its first such refusal the writer COPYs each day's
 * rows straight into that day's partition instead, which has no row-level security of its own and
 * on which {@code fs_ensure_partitions} grants the writer INSERT only (readers never get the
 * partitions), so COPY keeps its speed. Where there are no such partitions (TimescaleDB's chunks),
 * every batch goes through the staging table, defined from the catalog's column types: a {@code
 * LIKE} would need SELECT on the table, which the writer does not have. Daily partitions are
 * created before the COPY transaction (in their own), so a writer never holds row locks while
 * waiting on another's DDL.
 *
 * <p>Not thread-safe: one writer per sink subtask. A failed flush throws; the caller (the Flink
 * sink) fails and restarts from the last checkpoint, so nothing is lost.
 */
public final class HistoryWriter<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String NO_PARTITION = "23514";
    private static final String UNDEFINED_TABLE = "42P01";
    private static final String COPY_UNDER_ROW_SECURITY = "0A000";

    /** The suffix of a day's partition, as {@code fs_ensure_partitions} names it. */
    private static final DateTimeFormatter PARTITION_DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final PostgresSettings settings;
    private final HistoryTable<T> table;

    /** The buffered rows in COPY text, by the UTC day of their time (the partition they go to). */
    private final Map<LocalDate, Day> days = new LinkedHashMap<>();

    /** Days whose partition is known to exist; avoids a round trip per batch. */
    private final Set<LocalDate> ensuredDays = new HashSet<>();

    private Connection connection;
    private int pending;

    /** Days of the rows in the buffer whose partition is not yet known to exist. */
    private final Set<LocalDate> newDays = new HashSet<>();

    private long written;
    private long replayedBatches;

    /** Where batches are COPYed: the table, until row-level security refuses it. */
    private Target target = Target.TABLE;

    private enum Target {
        /** The table itself. */
        TABLE,
        /** Each day's partition (row-level security on the table, plain PostgreSQL). */
        PARTITIONS,
        /** A staging table, then INSERT (row-level security on a TimescaleDB hypertable). */
        STAGING
    }

    /** One day's rows in COPY text. */
    private static final class Day {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        final CopyRow row = new CopyRow(bytes);
    }

    /** The staging table's CREATE statement, read from the catalog once. */
    private String stagingDdl;

    public HistoryWriter(PostgresSettings settings, HistoryTable<T> table) {
        this.settings = settings;
        this.table = table;
    }

    public void add(T value) {
        LocalDate day = LocalDate.ofInstant(table.timeOf().timeOf(value), ZoneOffset.UTC);
        CopyRow row = days.computeIfAbsent(day, d -> new Day()).row;
        table.encoder().encode(value, row);
        row.end();
        if (!ensuredDays.contains(day)) {
            newDays.add(day);
        }
        pending++;
    }

    public int pending() {
        return pending;
    }

    /** Rows stored by this writer so far (replayed duplicates included). */
    public long written() {
        return written;
    }

    /**
     * Batches that went through the idempotent slow path because some of their rows were already
     * stored.
     */
    public long replayedBatches() {
        return replayedBatches;
    }

    public void flush() throws SQLException {
        if (pending == 0) {
            return;
        }
        Connection c = connection();
        ensurePartitions(c);
        c.setAutoCommit(false);
        try {
            copyOrStage(c);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            closeQuietly();
            throw e;
        }
        written += pending;
        days.clear();
        pending = 0;
        newDays.clear();
    }

    private void copyOrStage(Connection c) throws SQLException {
        if (target == Target.STAGING) {
            upsertThroughStaging(c);
            return;
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            for (Map.Entry<LocalDate, Day> d : days.entrySet()) {
                String into =
                        target == Target.TABLE
                                ? table.name()
                                : table.name() + "_p" + PARTITION_DAY.format(d.getKey());
                copy(c, table.copySql(into), d.getValue().bytes.toByteArray());
            }
        } catch (SQLException e) {
            c.rollback(savepoint);
            if (NO_PARTITION.equals(e.getSQLState()) || UNDEFINED_TABLE.equals(e.getSQLState())) {
                // retention dropped a partition we had seen: create it again next time
                ensuredDays.clear();
                throw e;
            }
            if (target == Target.TABLE && COPY_UNDER_ROW_SECURITY.equals(e.getSQLState())) {
                target = hasTimescaleDb(c) ? Target.STAGING : Target.PARTITIONS;
                LOG.info(
                        "{}: row-level security applies to this login; batches go to {}",
                        table.name(),
                        target == Target.PARTITIONS ? "each day's partition" : "a staging table");
                copyOrStage(c);
                return;
            }
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            replayedBatches++;
            upsertThroughStaging(c);
        }
    }

    /** Enforces the retention of all history tables (see {@link Migrations#applyRetention}). */
    public int applyRetention(java.time.Duration retention) throws SQLException {
        Connection c = connection();
        c.setAutoCommit(true);
        try {
            return Migrations.applyRetention(c, retention);
        } catch (SQLException e) {
            closeQuietly();
            throw e;
        }
    }

    private void upsertThroughStaging(Connection c) throws SQLException {
        String staging = "fs_staging_" + table.name();
        try (Statement s = c.createStatement()) {
            s.execute(stagingDdl(c, staging));
            for (Day d : days.values()) {
                copy(c, table.copySql(staging), d.bytes.toByteArray());
            }
            String cols = String.join(", ", table.columns());
            s.executeUpdate(
                    "INSERT INTO "
                            + table.name()
                            + " ("
                            + cols
                            + ") SELECT "
                            + cols
                            + " FROM "
                            + staging
                            + " ON CONFLICT DO NOTHING");
        }
    }

    private static boolean hasTimescaleDb(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT fs_has_timescaledb()")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * {@code CREATE TEMP TABLE} of the staging table with the table's columns and types, read from
     * {@code pg_attribute} (readable by every login).
     */
    private String stagingDdl(Connection c, String staging) throws SQLException {
        if (stagingDdl == null) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT string_agg(format('%I %s', a.attname,"
                                    + " format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum)"
                                    + " FROM pg_attribute a WHERE a.attrelid = to_regclass(?)"
                                    + " AND a.attnum > 0 AND NOT a.attisdropped"
                                    + " AND a.attname = ANY (?)")) {
                ps.setString(1, table.name());
                ps.setArray(2, c.createArrayOf("text", table.columns().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    String columns = rs.next() ? rs.getString(1) : null;
                    if (columns == null) {
                        throw new SQLException(
                                "history table " + table.name() + " does not exist", "42P01");
                    }
                    stagingDdl =
                            "CREATE TEMP TABLE IF NOT EXISTS "
                                    + staging
                                    + " ("
                                    + columns
                                    + ") ON COMMIT DELETE ROWS";
                }
            }
        }
        return stagingDdl;
    }

    /**
     * Creates the partitions of the buffer's new days, each day on its own (a batch may hold a
     * straggler from long ago).
     */
    private void ensurePartitions(Connection c) throws SQLException {
        if (newDays.isEmpty()) {
            return;
        }
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("SELECT fs_ensure_partitions(?, ?, ?)")) {
            for (LocalDate d : newDays) {
                ps.setString(1, table.name());
                ps.setObject(2, d);
                ps.setObject(3, d);
                ps.execute();
            }
        }
        ensuredDays.addAll(newDays);
    }

    private static void copy(Connection c, String sql, byte[] bytes) throws SQLException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        try {
            copy.copyIn(sql, new ByteArrayInputStream(bytes), 1 << 16);
        } catch (IOException e) {
            throw new SQLException("COPY failed: " + e.getMessage(), "08006", e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = settings.connect();
        }
        return connection;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("close failed", e);
        }
        connection = null;
    }

    @Override
    public void close() throws SQLException {
        try {
            flush();
        } finally {
            closeQuietly();
        }
    }
}
