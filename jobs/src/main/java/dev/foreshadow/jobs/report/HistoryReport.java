package dev.foreshadow.jobs.report;

import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.domain.WorkloadKey;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.Millisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The history report: one self-contained {@code report.html} (charts embedded as PNG data, no file
 * or network fetched when it opens) over the history tables since a time. Input: a connection to
 * the history database, the output folder, the start of the period (or null: all history), a title
 * and a summary to show first (the demo's figures; may be empty). Output: {@code DIR/report.html}
 * with the most frequent workflows, arrivals and peak demand by hour of week, bottleneck actions by
 * their share of run time on the critical path, data movers, cost by workflow type, certification
 * needs, anomalies (and the action with the most duration anomalies, its p95 against them), and
 * each pool's instances by state against the cores its workflow type used, arrivals against the
 * in-job forecaster's P10-P90 one step ahead with the forecasts' scores by type and the external
 * events shaded, and each pool's commanded floor over time against its workflow type's arrivals
 * (the pool's external events shaded). A script in the page marks on {@code <html data-charts>} how
 * many charts decoded, and logs an error for one that did not. Everything is read with SQL, as a
 * user would.
 */
public final class HistoryReport {

    /** Pools drawn at most (those with the most allocation events). */
    static final int MAX_POOLS = 4;

    private final Connection c;
    private final Timestamp since;
    private final StringBuilder body = new StringBuilder();
    private int charts;

    private HistoryReport(Connection c, Instant since) {
        this.c = c;
        this.since = Timestamp.from(since == null ? Instant.EPOCH : since);
    }

    /** Writes {@code out/report.html} and returns its path. */
    public static Path write(
            Connection c, Path out, Instant since, String title, Map<String, ?> summary)
            throws SQLException, IOException {
        System.setProperty("java.awt.headless", "true");
        HistoryReport r = new HistoryReport(c, since);
        r.summary(summary);
        r.workflows();
        r.bottlenecks();
        r.dataMovers();
        r.cost();
        r.certifications();
        r.anomalies();
        r.allocation();
        r.forecasts();
        r.commands();
        Files.createDirectories(out);
        Path report = out.resolve("report.html");
        Files.writeString(report, r.html(title), StandardCharsets.UTF_8);
        return report;
    }

    private void summary(Map<String, ?> summary) {
        body.append("<p>Period: ")
                .append(
                        since.toInstant().equals(Instant.EPOCH)
                                ? "all history"
                                : "since " + since.toInstant())
                .append(". Every table and chart was read from the history tables with SQL.</p>\n");
        if (!summary.isEmpty()) {
            body.append("<table class=\"summary\">\n");
            summary.forEach(
                    (k, v) ->
                            body.append("<tr><td>")
                                    .append(escape(k))
                                    .append("</td><td>")
                                    .append(escape(String.valueOf(v)))
                                    .append("</td></tr>\n"));
            body.append("</table>\n");
        }
    }

    private void workflows() throws SQLException, IOException {
        section("Most frequent workflows");
        table(
                "SELECT workflow_type, count(*) AS runs, round(100.0 * count(*) / sum(count(*)) OVER (), 1)"
                        + " AS share_pct, round(avg(extract(epoch FROM time - start_time))::numeric, 1) AS"
                        + " avg_duration_s, sum(failed_actions) AS failed_actions FROM workflow_runs WHERE"
                        + " time >= ? GROUP BY 1 ORDER BY runs DESC, 1 LIMIT 20");
        TimeSeriesCollection arrivals =
                timeSeries(
                        "SELECT workflow_type, date_trunc('hour', bucket), sum(runs) FROM arrivals"
                                + " WHERE bucket >= ? GROUP BY 1, 2 ORDER BY 2");
        if (arrivals.getSeriesCount() > 0) {
            image("Runs started per hour", timeChart("Runs started per hour", "runs", arrivals));
        }
        section("Peak demand by hour of week");
        String byHourOfWeek =
                "SELECT workflow_type, (extract(isodow FROM h) - 1) * 24 + extract(hour FROM h) AS"
                        + " hour_of_week, avg(runs) AS avg_runs FROM (SELECT workflow_type,"
                        + " date_trunc('hour', bucket) AS h, sum(runs) AS runs FROM arrivals WHERE bucket"
                        + " >= ? GROUP BY 1, 2) hourly GROUP BY 1, 2";
        XYSeriesCollection week = new XYSeriesCollection();
        Map<String, XYSeries> byType = new LinkedHashMap<>();
        for (List<Object> row : rows(byHourOfWeek + " ORDER BY 2")) {
            byType.computeIfAbsent((String) row.get(0), XYSeries::new)
                    .add(((Number) row.get(1)).doubleValue(), ((Number) row.get(2)).doubleValue());
        }
        byType.values().forEach(week::addSeries);
        table(
                "SELECT workflow_type, CASE (hour_of_week / 24)::int WHEN 0 THEN 'Mon' WHEN 1 THEN"
                        + " 'Tue' WHEN 2 THEN 'Wed' WHEN 3 THEN 'Thu' WHEN 4 THEN 'Fri' WHEN 5 THEN 'Sat'"
                        + " ELSE 'Sun' END AS day, (hour_of_week % 24)::int AS hour_utc,"
                        + " round(avg_runs::numeric, 2) AS avg_runs_per_hour FROM ("
                        + byHourOfWeek
                        + ") w ORDER BY avg_runs DESC, 1 LIMIT 10");
        if (week.getSeriesCount() > 0) {
            JFreeChart chart =
                    ChartFactory.createXYLineChart(
                            "Average runs started by hour of week (0 = Monday 00:00 UTC)",
                            "hour of week",
                            "runs per hour",
                            week,
                            PlotOrientation.VERTICAL,
                            true,
                            false,
                            false);
            style(chart);
            image("Runs by hour of week", chart);
        }
    }

    /**
     * The critical path of each run, walked backwards as CRISP does (Zhang et al., "CRISP: Critical
     * Path Analysis of Large-Scale Microservice Architectures", USENIX ATC 2022): from the action
     * that ended last, to the action that ended last before it started, and so on; each action
     * type's share is its time on those paths over the runs' total time (first start to last end).
     */
    private void bottlenecks() throws SQLException, IOException {
        section("Bottleneck actions: share of run time on the critical path");
        Map<String, double[]> onPath = new HashMap<>(); // type/action -> {ms on path, runs on path}
        double[] runTime = {0};
        List<double[]> run = new ArrayList<>(); // {start, end, action index}
        List<String> names = new ArrayList<>();
        Map<String, Integer> indexes = new HashMap<>();
        String[] current = {null};
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT run_id, workflow_type || ' / ' || action_type, start_time, time FROM"
                                + " action_samples WHERE time >= ? AND start_time IS NOT NULL ORDER BY"
                                + " run_id, time")) {
            ps.setTimestamp(1, since);
            ps.setFetchSize(5000);
            c.setAutoCommit(false); // a cursor, not the whole result in memory
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (!id.equals(current[0])) {
                        walk(run, names, onPath, runTime);
                        run.clear();
                        current[0] = id;
                    }
                    String name = rs.getString(2);
                    int index = indexes.computeIfAbsent(name, n -> names.size());
                    if (index == names.size()) {
                        names.add(name);
                    }
                    run.add(
                            new double[] {
                                rs.getTimestamp(3).getTime(), rs.getTimestamp(4).getTime(), index
                            });
                }
                walk(run, names, onPath, runTime);
            } finally {
                c.commit();
                c.setAutoCommit(true);
            }
        }
        if (onPath.isEmpty()) {
            body.append("<p>No action samples in the period.</p>\n");
            return;
        }
        List<Map.Entry<String, double[]>> top = new ArrayList<>(onPath.entrySet());
        top.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
        top = top.subList(0, Math.min(10, top.size()));
        DefaultCategoryDataset shares = new DefaultCategoryDataset();
        body.append(
                "<table><tr><th>workflow type / action type</th><th>share of run time on the critical"
                        + " path (%)</th><th>runs where it is on the path</th></tr>\n");
        for (Map.Entry<String, double[]> e : top) {
            double pct = 100 * e.getValue()[0] / runTime[0];
            shares.addValue(pct, "share", e.getKey());
            body.append("<tr><td>")
                    .append(escape(e.getKey()))
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    "</td><td>%.1f</td><td>%d</td></tr>%n",
                                    pct,
                                    (long) e.getValue()[1]));
        }
        body.append("</table>\n");
        JFreeChart chart =
                ChartFactory.createBarChart(
                        "Share of run time on the critical path (%)",
                        null, "%", shares, PlotOrientation.HORIZONTAL, false, false, false);
        style(chart);
        image("Bottleneck actions", chart);
    }

    static void walk(
            List<double[]> run,
            List<String> names,
            Map<String, double[]> onPath,
            double[] runTime) {
        if (run.isEmpty()) {
            return;
        }
        run.sort((x, y) -> Double.compare(x[1], y[1])); // by end
        double first = Double.MAX_VALUE;
        for (double[] a : run) {
            first = Math.min(first, a[0]);
        }
        runTime[0] += Math.max(1, run.get(run.size() - 1)[1] - first);
        Set<Integer> seen = new HashSet<>();
        for (int i = run.size() - 1; i >= 0; ) {
            double[] at = run.get(i);
            double[] acc = onPath.computeIfAbsent(names.get((int) at[2]), k -> new double[2]);
            acc[0] += Math.max(0, at[1] - at[0]);
            if (seen.add((int) at[2])) {
                acc[1]++;
            }
            // the action that ended last before this one started: the end of the prefix of
            // actions ending by then (binary search over the ends), never this one again
            int lo = 0;
            int hi = i; // search [0, i)
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (run.get(mid)[1] <= at[0]) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            i = lo - 1;
        }
    }

    private void dataMovers() throws SQLException {
        section("Data movers");
        table(
                "SELECT workflow_type, action_type, sum(count) AS actions,"
                        + " pg_size_pretty(sum(network_in_bytes + network_out_bytes)::bigint) AS network,"
                        + " pg_size_pretty(sum(bytes_read + bytes_written)::bigint) AS storage_io FROM"
                        + " action_stats WHERE bucket >= ? GROUP BY 1, 2 ORDER BY sum(network_in_bytes +"
                        + " network_out_bytes + bytes_read + bytes_written) DESC, 1, 2 LIMIT 15");
    }

    private void cost() throws SQLException, IOException {
        section("Cost by workflow type");
        table(
                "SELECT workflow_type, currency, round(sum(cost)::numeric, 4) AS cost, count(*) AS runs,"
                        + " round((sum(cost) / count(*))::numeric, 6) AS cost_per_run,"
                        + " round((sum(cpu_seconds) / 3600)::numeric, 2) AS cpu_hours FROM workflow_runs"
                        + " WHERE time >= ? GROUP BY 1, 2 ORDER BY sum(cost) DESC, 1 LIMIT 20");
        DefaultCategoryDataset cost = new DefaultCategoryDataset();
        for (List<Object> row :
                rows(
                        "SELECT workflow_type, sum(cost) FROM workflow_runs WHERE time >= ? GROUP BY 1"
                                + " ORDER BY 2 DESC LIMIT 12")) {
            cost.addValue(((Number) row.get(1)).doubleValue(), "cost", (String) row.get(0));
        }
        if (cost.getColumnCount() > 0) {
            JFreeChart chart =
                    ChartFactory.createBarChart(
                            "Cost by workflow type",
                            null,
                            "cost",
                            cost,
                            PlotOrientation.HORIZONTAL,
                            false,
                            false,
                            false);
            style(chart);
            image("Cost by workflow type", chart);
        }
    }

    private void certifications() throws SQLException {
        section("Certification needs");
        table(
                "SELECT workflow_type, action_type, array_to_string(certifications, ',') AS"
                        + " certifications, string_agg(DISTINCT encryption, ',') AS encryption, count(*)"
                        + " AS samples FROM action_samples WHERE time >= ? AND cardinality(certifications)"
                        + " > 0 GROUP BY 1, 2, 3 ORDER BY samples DESC, 1, 2 LIMIT 30");
    }

    private void anomalies() throws SQLException, IOException {
        section("Anomalies");
        table(
                "SELECT kind, count(*) AS anomalies, count(DISTINCT workflow_type) AS workflow_types,"
                        + " min(time) AS first, max(time) AS last FROM anomalies WHERE time >= ? GROUP BY 1"
                        + " ORDER BY 2 DESC, 1");
        TimeSeriesCollection perHour =
                timeSeries(
                        // every hour of every kind, zeros included, so quiet hours show as quiet
                        "SELECT k.kind, h.hour, count(a.time) FROM (SELECT DISTINCT kind FROM anomalies"
                                + " WHERE time >= ?) k CROSS JOIN generate_series((SELECT"
                                + " date_trunc('hour', min(time)) FROM anomalies WHERE time >= ?), (SELECT"
                                + " max(time) FROM anomalies), interval '1 hour') AS h(hour) LEFT JOIN"
                                + " anomalies a ON a.kind = k.kind AND date_trunc('hour', a.time) = h.hour"
                                + " GROUP BY 1, 2 ORDER BY 2");
        if (perHour.getSeriesCount() == 0) {
            return;
        }
        image("Anomalies per hour", timeChart("Anomalies per hour by kind", "anomalies", perHour));
        List<List<Object>> focus =
                rows(
                        "SELECT workflow_type, action_type FROM anomalies WHERE time >= ? AND metric ="
                                + " 'durationMs' AND action_type IS NOT NULL GROUP BY 1, 2 ORDER BY"
                                + " count(*) DESC, 1, 2 LIMIT 1");
        if (focus.isEmpty()) {
            return;
        }
        String type = (String) focus.get(0).get(0);
        String action = (String) focus.get(0).get(1);
        body.append("<p>The action with the most duration anomalies: ")
                .append(escape(type + " / " + action))
                .append(".</p>\n");
        JFreeChart chart =
                timeChart(
                        "p95 duration of "
                                + type
                                + " / "
                                + action
                                + " per minute (s), and anomalies",
                        "seconds",
                        timeSeries(
                                "SELECT 'p95 duration', bucket, duration_p95_ms / 1000 FROM action_stats"
                                        + " WHERE bucket >= ? AND workflow_type = ? AND action_type = ?"
                                        + " ORDER BY bucket",
                                type,
                                action));
        XYPlot plot = chart.getXYPlot();
        plot.setDataset(
                1,
                timeSeries(
                        "SELECT kind, time, observed / 1000 FROM anomalies WHERE time >= ? AND"
                                + " workflow_type = ? AND action_type = ? AND metric = 'durationMs'"
                                + " ORDER BY time",
                        type,
                        action));
        plot.setRenderer(1, new XYLineAndShapeRenderer(false, true));
        image("Duration anomalies", chart);
    }

    /**
     * Arrivals against what the in-job forecaster expected one step ahead (the first step of each
     * origin: its mean and P10-P90), over all workflow types, and the forecasts' scores by type.
     */
    private void forecasts() throws SQLException, IOException {
        section("Arrivals against forecasts");
        TimeSeriesCollection band =
                timeSeries(
                        "SELECT s.name, f.origin, sum(s.v) FROM forecasts f CROSS JOIN LATERAL (VALUES"
                                + " ('forecast P10', f.p10[1]), ('forecast mean', f.mean[1]),"
                                + " ('forecast P90', f.p90[1]), ('arrivals', (SELECT"
                                + " coalesce(sum(a.runs), 0) FROM arrivals a WHERE a.tenant = f.tenant"
                                + " AND a.workflow_type = f.workflow_type AND a.bucket >= f.origin AND"
                                + " a.bucket < f.origin + make_interval(secs => f.step_seconds))))"
                                + " AS s(name, v) WHERE f.origin >= ? GROUP BY 1, 2 ORDER BY 2");
        if (band.getSeriesCount() == 0) {
            body.append("<p>No forecasts in the period.</p>\n");
            return;
        }
        JFreeChart chart =
                timeChart(
                        "Runs per step: arrivals and the forecast one step ahead (P10, mean, P90)",
                        "runs",
                        band);
        markExternalEvents(chart.getXYPlot(), null, null);
        image("Runs started per forecast step against the forecast one step ahead", chart);
        table(
                "SELECT event_id, tenant, kind, magnitude, array_to_string(workflow_types, ', ') AS"
                        + " workflow_types, start_time, end_time, announced_at FROM external_events"
                        + " WHERE end_time >= ? ORDER BY start_time, event_id LIMIT 20");
        table(
                "SELECT workflow_type, count(*) AS forecasts, round(avg(mase)::numeric, 3) AS"
                        + " mean_mase, bool_or(retrain) AS retrain_marked, (array_agg(model ORDER BY"
                        + " origin DESC))[1] AS latest_model FROM forecasts WHERE origin >= ? GROUP"
                        + " BY 1 ORDER BY 1");
    }

    /**
     * Each pool's commanded floor over time (the most instances any command asked to have ready by
     * each moment, drawn at its ready-by time) against the runs its workflow type started per hour,
     * with the pool's external events shaded: a floor that rises before the runs do was ahead of
     * the demand.
     */
    private void commands() throws SQLException, IOException {
        section("Allocation commands against arrivals");
        List<String> pools = busiestPools("allocation_commands WHERE issued_at >= ?");
        if (pools.isEmpty()) {
            body.append("<p>No allocation commands in the period.</p>\n");
            return;
        }
        Map<String, String[]> workloads = workloadsByPool();
        for (String pool : pools) {
            JFreeChart chart =
                    timeChart(
                            "Pool "
                                    + pool
                                    + ": commanded floor (at its ready-by time) and arrivals",
                            "instances",
                            timeSeries(
                                    "SELECT 'commanded floor', ready_by, max(instances) FROM"
                                            + " allocation_commands WHERE issued_at >= ? AND pool = ?"
                                            + " GROUP BY 2 ORDER BY 2",
                                    pool));
            XYPlot plot = chart.getXYPlot();
            plot.setRenderer(0, new XYStepRenderer());
            String[] workload = workloads.get(pool);
            if (workload != null) {
                onSecondAxis(
                        plot,
                        "runs started per hour",
                        timeSeries(
                                "SELECT 'arrivals: runs started per hour', h.hour,"
                                        + " coalesce(sum(a.runs), 0) FROM generate_series((SELECT"
                                        + " date_trunc('hour', min(bucket)) FROM arrivals WHERE bucket"
                                        + " >= ? AND tenant = ? AND workflow_type = ?), (SELECT"
                                        + " max(bucket) FROM arrivals WHERE tenant = ? AND"
                                        + " workflow_type = ?), interval '1 hour') AS h(hour) LEFT JOIN"
                                        + " arrivals a ON a.tenant = ? AND a.workflow_type = ? AND"
                                        + " date_trunc('hour', a.bucket) = h.hour GROUP BY 2 ORDER BY 2",
                                workload[0],
                                workload[1],
                                workload[0],
                                workload[1],
                                workload[0],
                                workload[1]));
                markExternalEvents(plot, workload[0], workload[1]);
            }
            image("Commands for pool " + pool, chart);
        }
    }

    /**
     * Shades on {@code plot} the external events from the period on (of {@code tenant}'s {@code
     * type}, or all when null), each labelled with its id, kind and magnitude.
     */
    private void markExternalEvents(XYPlot plot, String tenant, String type) throws SQLException {
        String sql =
                "SELECT event_id, kind, magnitude, start_time, end_time FROM external_events WHERE"
                        + " end_time >= ?"
                        + (type == null
                                ? ""
                                : " AND tenant = ? AND (workflow_types = '{}' OR ? = ANY(workflow_types))")
                        + " ORDER BY start_time";
        List<List<Object>> events = type == null ? rows(sql) : rows(sql, tenant, type);
        for (List<Object> e : events) {
            IntervalMarker m =
                    new IntervalMarker(
                            ((Timestamp) e.get(3)).getTime(), ((Timestamp) e.get(4)).getTime());
            m.setPaint(new Color(255, 165, 0, 60));
            m.setLabel(
                    String.format(
                            Locale.ROOT,
                            "%s (%s x%.1f)",
                            e.get(0),
                            e.get(1),
                            ((Number) e.get(2)).doubleValue()));
            m.setLabelFont(m.getLabelFont().deriveFont(10f));
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(m, Layer.BACKGROUND);
        }
    }

    /**
     * The pools with the most rows of {@code from} (a table and its condition on the period's
     * start), at most {@link #MAX_POOLS}, busiest first.
     */
    private List<String> busiestPools(String from) throws SQLException {
        List<String> pools = new ArrayList<>();
        for (List<Object> p :
                rows(
                        "SELECT pool FROM "
                                + from
                                + " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT "
                                + MAX_POOLS)) {
            pools.add((String) p.get(0));
        }
        return pools;
    }

    /** Draws {@code series} in grey on {@code plot}'s second range axis, labelled {@code label}. */
    private static void onSecondAxis(XYPlot plot, String label, XYDataset series) {
        plot.setRangeAxis(1, new NumberAxis(label));
        plot.setDataset(1, series);
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, Color.GRAY);
        plot.setRenderer(1, line);
    }

    /** The pool of each workflow type of the period (by default one per type): {tenant, type}. */
    private Map<String, String[]> workloadsByPool() throws SQLException {
        Map<String, String[]> workloads = new HashMap<>();
        for (List<Object> w :
                rows("SELECT DISTINCT tenant, workflow_type FROM workflow_runs WHERE time >= ?")) {
            String tenant = (String) w.get(0);
            String type = (String) w.get(1);
            workloads.put(
                    PoolId.defaultFor(WorkloadKey.ofType(tenant, type)).name(),
                    new String[] {tenant, type});
        }
        return workloads;
    }

    private void allocation() throws SQLException, IOException {
        section("Allocations against demand");
        List<String> pools =
                busiestPools("allocation_events WHERE time >= ? AND target IS NOT NULL");
        if (pools.isEmpty()) {
            body.append("<p>No allocation events in the period.</p>\n");
            return;
        }
        Map<String, String[]> workloads = workloadsByPool();
        for (String pool : pools) {
            JFreeChart chart =
                    timeChart(
                            "Pool " + pool + ": instances by state against demand",
                            "instances",
                            timeSeries(
                                    "SELECT s.state, e.time, s.n FROM allocation_events e CROSS JOIN"
                                            + " LATERAL (VALUES ('target', e.target), ('coming',"
                                            + " e.requested + e.provisioning + e.warming), ('ready',"
                                            + " e.ready), ('in service', e.in_service)) AS s(state, n)"
                                            + " WHERE e.time >= ? AND e.pool = ? AND e.target IS NOT"
                                            + " NULL ORDER BY e.time",
                                    pool));
            String[] workload = workloads.get(pool);
            if (workload != null) {
                // the cores its running actions used, minute by minute, on an axis of its own
                onSecondAxis(
                        chart.getXYPlot(),
                        "cores in use",
                        timeSeries(
                                "SELECT 'demand: cores in use', m.minute, coalesce(sum(a.peak_cores),"
                                        + " 0) FROM generate_series((SELECT date_trunc('minute',"
                                        + " min(start_time)) FROM action_samples WHERE time >= ? AND"
                                        + " tenant = ? AND workflow_type = ?), (SELECT max(time) FROM"
                                        + " action_samples WHERE tenant = ? AND workflow_type = ?),"
                                        + " interval '1 minute') AS m(minute) LEFT JOIN action_samples a"
                                        + " ON a.tenant = ? AND a.workflow_type = ? AND a.start_time <"
                                        + " m.minute + interval '1 minute' AND a.time >= m.minute GROUP BY"
                                        + " 2 ORDER BY 2",
                                workload[0],
                                workload[1],
                                workload[0],
                                workload[1],
                                workload[0],
                                workload[1]));
            }
            image("Pool " + pool, chart);
        }
    }

    private void section(String title) {
        body.append("<h2>").append(escape(title)).append("</h2>\n");
    }

    /** {@code sql} (its first parameter the period's start) as an HTML table. */
    private void table(String sql) throws SQLException {
        try (PreparedStatement ps = prepare(sql)) {
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                StringBuilder t = new StringBuilder("<table><tr>");
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    t.append("<th>")
                            .append(escape(md.getColumnLabel(i).replace('_', ' ')))
                            .append("</th>");
                }
                t.append("</tr>\n");
                int n = 0;
                while (rs.next()) {
                    n++;
                    t.append("<tr>");
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        String text =
                                v instanceof Timestamp ts
                                        ? ts.toInstant().toString()
                                        : String.valueOf(v);
                        t.append(v instanceof Number ? "<td class=\"n\">" : "<td>")
                                .append(escape(text))
                                .append("</td>");
                    }
                    t.append("</tr>\n");
                }
                body.append(n == 0 ? "<p>No rows in the period.</p>\n" : t.append("</table>\n"));
            }
        }
    }

    /** The rows of {@code sql}, its first parameter the period's start, then {@code params}. */
    private List<List<Object>> rows(String sql, String... params) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /**
     * Rows of (series name, time, value) as time series by name; every {@code ?} before {@code
     * params} is the period's start.
     */
    private TimeSeriesCollection timeSeries(String sql, String... params) throws SQLException {
        Map<String, TimeSeries> byName = new LinkedHashMap<>();
        try (PreparedStatement ps = prepare(sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp t = rs.getTimestamp(2);
                byName.computeIfAbsent(rs.getString(1), TimeSeries::new)
                        .addOrUpdate(new Millisecond(new Date(t.getTime())), rs.getDouble(3));
            }
        }
        TimeSeriesCollection all = new TimeSeriesCollection();
        byName.values().forEach(all::addSeries);
        return all;
    }

    /** The leading parameters (as many as the SQL has beyond {@code params}) are the start. */
    private PreparedStatement prepare(String sql, String... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        int total = ps.getParameterMetaData().getParameterCount();
        int starts = total - params.length;
        for (int i = 0; i < starts; i++) {
            ps.setTimestamp(i + 1, since);
        }
        for (int i = 0; i < params.length; i++) {
            ps.setString(starts + i + 1, params[i]);
        }
        return ps;
    }

    private static JFreeChart timeChart(String title, String unit, TimeSeriesCollection lines) {
        JFreeChart chart =
                ChartFactory.createTimeSeriesChart(
                        title, "time (UTC)", unit, lines, true, false, false);
        style(chart);
        return chart;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof XYPlot plot) {
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        } else if (chart.getPlot() instanceof CategoryPlot plot) {
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
    }

    private void image(String alt, JFreeChart chart) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, 960, 400);
        charts++;
        body.append("<img class=\"chart\" alt=\"")
                .append(escape(alt))
                .append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png.toByteArray()))
                .append("\">\n");
    }

    private String html(String title) {
        return """
                <!doctype html>
                <html data-charts-expected="%d"><head><meta charset="utf-8"><title>%s</title>
                <style>body{font-family:sans-serif;max-width:980px;margin:2em auto}td,th{padding:2px 10px;text-align:left}
                td.n{text-align:right}tr:nth-child(odd){background:#f4f4f4}table{border-collapse:collapse;margin:.5em 0}
                img{max-width:100%%;border:1px solid #ddd;margin:1em 0;display:block}</style>
                </head><body>
                <h1>%s</h1>
                %s<script>
                window.addEventListener('load', function () {
                  var charts = document.querySelectorAll('img.chart'), drawn = 0;
                  charts.forEach(function (img) {
                    if (img.complete && img.naturalWidth > 0) { drawn++; }
                    else { console.error('chart did not draw: ' + img.alt); }
                  });
                  document.documentElement.setAttribute('data-charts', drawn + ' of ' + charts.length);
                });
                </script>
                </body></html>
                """
                .formatted(charts, escape(title), escape(title), body);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
