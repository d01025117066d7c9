package dev.foreshadow.connectors.history;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Reads what AllocationJob did from {@code allocation_events}: the figures of a run, for the demo's
 * summary and for anyone asking the same of production history.
 */
public final class AllocationHistory {

    /**
     * What allocation did for some pools.
     *
     * @param commandsApplied commands whose floor was taken (dry runs, expired and replayed ones
     *     not)
     * @param instancesWarmed instances that passed their warm-up's validation
     * @param warmUpFailuresReplaced instances that failed their validation (each is replaced)
     * @param instanceHours hours from each instance's first sighting (requested) to its release, or
     *     to {@code until} while it runs
     */
    public record Summary(
            long commandsApplied,
            long instancesWarmed,
            long warmUpFailuresReplaced,
            double instanceHours) {}

    private static final String COUNTS =
            "SELECT count(*) FILTER (WHERE action = 'command' AND rule IN ('floor', 'maximum')),"
                    + " count(*) FILTER (WHERE to_state = 'ready'),"
                    + " count(*) FILTER (WHERE from_state = 'warming' AND to_state = 'failed')"
                    + " FROM allocation_events WHERE pool = ANY (?)";

    private static final String HOURS =
            "SELECT coalesce(sum(extract(epoch FROM coalesce(released, ?) - requested)), 0) / 3600"
                    + " FROM (SELECT pool, instance_id,"
                    + " min(time) FILTER (WHERE from_state IS NULL) AS requested,"
                    + " max(time) FILTER (WHERE to_state = 'released') AS released"
                    + " FROM allocation_events WHERE action = 'transition' AND pool = ANY (?)"
                    + " GROUP BY pool, instance_id) i WHERE requested IS NOT NULL";

    private AllocationHistory() {}

    /** The summary of {@code pools}, instances still running counted until {@code until}. */
    public static Summary summary(Connection c, List<String> pools, Instant until)
            throws SQLException {
        Array names = c.createArrayOf("text", pools.toArray());
        long applied;
        long warmed;
        long failed;
        try (PreparedStatement ps = c.prepareStatement(COUNTS)) {
            ps.setArray(1, names);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                applied = rs.getLong(1);
                warmed = rs.getLong(2);
                failed = rs.getLong(3);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(HOURS)) {
            ps.setTimestamp(1, Timestamp.from(until));
            ps.setArray(2, names);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Summary(applied, warmed, failed, rs.getDouble(1));
            }
        }
    }
}
