package dev.foreshadow.jobs.demo;

import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.domain.WorkloadKey;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.time.Millisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * The demo's report: {@code report.html} with the summary and three charts drawn from the history
 * it stored (runs arriving per hour by workflow type; the staged incident's action, its p95
 * duration per minute with the anomalies found on it; anomalies per hour by kind; the incident
 * type's pool, its instances by state against its demand). Everything is read back with SQL, as a
 * user would.
 */
final class DemoReport {

    private DemoReport() {}

    static Path write(
            Connection c, Path out, Map<String, Object> summary, DemoWorkload.Incident incident)
            throws SQLException, IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(out);
        chart(
                out.resolve("arrivals.png"),
                "Runs started per hour",
                "runs",
                series(
                        c,
                        "SELECT workflow_type, date_trunc('hour', bucket) AS t, sum(runs) FROM arrivals GROUP BY 1, 2 ORDER BY 2"),
                null);
        chart(
                out.resolve("incident.png"),
                "p95 duration of "
                        + incident.workflowType()
                        + "/"
                        + incident.actionType()
                        + " per minute (s), and anomalies",
                "seconds",
                series(
                        c,
                        "SELECT 'p95 duration', bucket, duration_p95_ms / 1000 FROM action_stats WHERE workflow_type = ?"
                                + " AND action_type = ? ORDER BY bucket",
                        incident.workflowType(),
                        incident.actionType()),
                series(
                        c,
                        "SELECT kind, time, observed / 1000 FROM anomalies WHERE workflow_type = ? AND action_type = ?"
                                + " AND metric = 'durationMs' ORDER BY time",
                        incident.workflowType(),
                        incident.actionType()));
        chart(
                out.resolve("anomalies.png"),
                "Anomalies per hour by kind",
                "anomalies",
                series(
                        c,
                        // every hour of every kind, zeros included, so quiet hours show as quiet
                        "SELECT k.kind, h.hour, count(a.time) FROM (SELECT DISTINCT kind FROM anomalies) k"
                                + " CROSS JOIN generate_series((SELECT date_trunc('hour', min(time)) FROM"
                                + " anomalies), (SELECT max(time) FROM anomalies), interval '1 hour') AS h(hour)"
                                + " LEFT JOIN anomalies a ON a.kind = k.kind AND date_trunc('hour', a.time) ="
                                + " h.hour GROUP BY 1, 2 ORDER BY 2"),
                null);

        String pool =
                PoolId.defaultFor(WorkloadKey.ofType(DemoWorkload.TENANT, incident.workflowType()))
                        .name();
        TimeSeriesCollection capacity =
                series(
                        c,
                        "SELECT s.state, e.time, s.n FROM allocation_events e CROSS JOIN LATERAL (VALUES"
                                + " ('target', e.target), ('warming', e.warming), ('ready', e.ready),"
                                + " ('in service', e.in_service)) AS s(state, n)"
                                + " WHERE e.pool = ? AND e.target IS NOT NULL ORDER BY e.time",
                        pool);
        // the cores its running actions used, minute by minute, in instances of the pools' shape
        series(
                        c,
                        "SELECT 'demand (instances of 8 cores)', m.minute, coalesce(sum(a.peak_cores), 0) / 8"
                                + " FROM generate_series((SELECT date_trunc('minute', min(start_time))"
                                + " FROM action_samples WHERE workflow_type = ?), (SELECT max(time) FROM"
                                + " action_samples WHERE workflow_type = ?), interval '1 minute') AS"
                                + " m(minute) LEFT JOIN action_samples a ON a.workflow_type = ? AND a.start_time"
                                + " < m.minute + interval '1 minute' AND a.time >= m.minute GROUP BY 2"
                                + " ORDER BY 2",
                        incident.workflowType(),
                        incident.workflowType(),
                        incident.workflowType())
                .getSeries()
                .forEach(d -> capacity.addSeries((TimeSeries) d));
        chart(
                out.resolve("capacity.png"),
                "Pool " + pool + ": instances by state (AllocationJob) against demand",
                "instances",
                capacity,
                null);

        StringBuilder rows = new StringBuilder();
        summary.forEach(
                (k, v) ->
                        rows.append("<tr><td>")
                                .append(escape(k))
                                .append("</td><td>")
                                .append(escape(String.valueOf(v)))
                                .append("</td></tr>\n"));
        String html =
                """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>foreshadow demo</title>
                <style>body{font-family:sans-serif;max-width:960px;margin:2em auto}td{padding:2px 12px}
                tr:nth-child(odd){background:#f4f4f4}img{max-width:100%%;border:1px solid #ddd;margin:1em 0}</style>
                </head><body>
                <h1>foreshadow demo</h1>
                <p>A real workflow trace (WfCommons) replayed through Kafka into ShadowJob; every figure and chart below
                was read back from the history tables with SQL.</p>
                <table>%s</table>
                <h2>Arrivals</h2><img src="arrivals.png" alt="runs started per hour">
                <h2>The staged incident</h2><p>%s</p><img src="incident.png" alt="incident">
                <h2>Anomalies</h2><img src="anomalies.png" alt="anomalies per hour">
                <h2>Capacity</h2><p>AllocationJob on a simulated pool per workflow type: instances by state,
                read from allocation_events, against the cores the type's actions used.</p>
                <img src="capacity.png" alt="capacity by state against demand">
                </body></html>
                """
                        .formatted(rows, escape(incident.toString()));
        Path report = out.resolve("report.html");
        Files.writeString(report, html, StandardCharsets.UTF_8);
        return report;
    }

    /** Rows of (series name, time, value) as time series by name. */
    private static TimeSeriesCollection series(Connection c, String sql, String... params)
            throws SQLException {
        Map<String, TimeSeries> byName = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp t = rs.getTimestamp(2);
                    byName.computeIfAbsent(rs.getString(1), TimeSeries::new)
                            .addOrUpdate(new Millisecond(new Date(t.getTime())), rs.getDouble(3));
                }
            }
        }
        TimeSeriesCollection all = new TimeSeriesCollection();
        byName.values().forEach(all::addSeries);
        return all;
    }

    private static void chart(
            Path file,
            String title,
            String unit,
            TimeSeriesCollection lines,
            TimeSeriesCollection points)
            throws IOException {
        JFreeChart chart =
                ChartFactory.createTimeSeriesChart(
                        title, "time (UTC)", unit, lines, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        if (points != null) {
            XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
            plot.setDataset(1, points);
            plot.setRenderer(1, dots);
        }
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 960, 400);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
