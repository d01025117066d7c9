package dev.foreshadow.connectors.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the {@code arrivals} table (runs started per workflow type per minute, sql/V001) as regular
 * series for forecasting: the runs of every tenant summed per workflow type in steps of a given
 * length.
 *
 * <p>Input: a connection, the window {@code [start, end)} and the step. Output: one {@link Steps}
 * per workflow type with arrivals in the window, from its first step with arrivals up to the step
 * before {@code end}; steps without a row count 0 runs.
 */
public final class ArrivalHistory {

    private ArrivalHistory() {}

    /**
     * Arrivals of one workflow type: {@code values[i]} runs started in step {@code firstStep + i},
     * a step being the epoch seconds divided by the step length.
     */
    public record Steps(String workflowType, long firstStep, double[] values) {}

    public static List<Steps> read(Connection c, Instant start, Instant end, Duration step)
            throws SQLException {
        long seconds = step.getSeconds();
        if (seconds < 1) {
            throw new IllegalArgumentException("a step must be at least a second, got " + step);
        }
        Map<String, TreeMap<Long, Double>> byType = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT workflow_type, floor(extract(epoch FROM bucket) / ?)::bigint AS step, sum(runs)"
                                + " FROM arrivals WHERE bucket >= ? AND bucket < ? GROUP BY 1, 2 ORDER BY 1, 2")) {
            ps.setLong(1, seconds);
            ps.setTimestamp(2, Timestamp.from(start));
            ps.setTimestamp(3, Timestamp.from(end));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byType.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                            .put(rs.getLong(2), rs.getDouble(3));
                }
            }
        }
        long last = end.getEpochSecond() / seconds; // exclusive
        List<Steps> out = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Long, Double>> e : byType.entrySet()) {
            long from = e.getValue().firstKey();
            double[] values = new double[(int) (last - from)];
            e.getValue().forEach((k, v) -> values[(int) (k - from)] = v);
            out.add(new Steps(e.getKey(), from, values));
        }
        return out;
    }
}
