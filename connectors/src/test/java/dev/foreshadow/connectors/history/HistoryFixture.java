package dev.foreshadow.connectors.history;

import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.ActionStats;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.AllocationStatus;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.connectors.records.VerifiedEvent;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.domain.WorkloadKey;
import dev.foreshadow.models.lifecycle.Capacity;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A small history with the shapes of a real one, written through the history sink's writer, for the
 * tests of what reads history (documented queries, the hourly aggregate, dashboards, the report).
 * Input: a tag (every workflow type, tenant, pool and id carries it, so the rows of one fixture can
 * be told from others in a shared database) and the hour it ends. Output: {@link #days} days of
 * three workflow types arriving with a daily cycle (runs of 2-3 actions; ETL moves data, orders
 * need PCI-DSS, reports HIPAA; one in twenty attempts fails; half the ETL runs trigger a report),
 * their samples, run summaries, per-minute statistics and arrivals, anomalies of three kinds, a
 * pool's allocation timeline and one external event. Deterministic for a tag and an end.
 */
public final class HistoryFixture {

    /** Days of history the fixture writes, ending at its end. */
    public final int days = 3;

    private final String tag;
    private final Instant end;
    private final List<ActionSample> samples = new ArrayList<>();
    private final List<RunSummary> runs = new ArrayList<>();
    private final List<Anomaly> anomalies = new ArrayList<>();
    private final List<AllocationStatus> allocation = new ArrayList<>();
    private final List<AllocationCommand> commands = new ArrayList<>();
    private final TreeMap<String, long[]> arrivals = new TreeMap<>();

    public HistoryFixture(String tag, Instant end) {
        this.tag = tag;
        this.end = end.truncatedTo(ChronoUnit.HOURS);
        generate();
    }

    public String tenant() {
        return "t-" + tag;
    }

    /** The workflow types: orders, etl, reports, each carrying the tag. */
    public List<String> workflowTypes() {
        return List.of(type("orders"), type("etl"), type("reports"));
    }

    public String pool() {
        return PoolId.defaultFor(WorkloadKey.ofType(tenant(), type("orders"))).name();
    }

    public Instant start() {
        return end.minus(Duration.ofDays(days));
    }

    public Instant end() {
        return end;
    }

    public int sampleCount() {
        return samples.size();
    }

    /** Writes everything through {@link HistoryWriter}, as the jobs' sinks do. */
    public void write(PostgresSettings db) throws Exception {
        write(db, HistoryTables.ACTION_SAMPLES, samples);
        write(db, HistoryTables.WORKFLOW_RUNS, runs);
        write(db, HistoryTables.ACTION_STATS, stats());
        List<Arrivals> a = new ArrayList<>();
        arrivals.forEach(
                (k, v) -> {
                    String[] f = k.split(" ", 2);
                    a.add(new Arrivals(Instant.parse(f[0]), tenant(), f[1], v[0]));
                });
        write(db, HistoryTables.ARRIVALS, a);
        write(db, HistoryTables.ANOMALIES, anomalies);
        write(db, HistoryTables.ALLOCATION_COMMANDS, commands);
        write(db, HistoryTables.ALLOCATION_EVENTS, allocation);
        write(db, HistoryTables.EXTERNAL_EVENTS, List.of(externalEvent()));
        write(db, HistoryTables.FORECASTS, forecasts());
    }

    /** Every hour, per type, what the in-job forecaster would store: 12 steps of 5 minutes. */
    private List<TypeForecast> forecasts() {
        List<TypeForecast> out = new ArrayList<>();
        for (Instant hour = start(); hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            for (String type : workflowTypes()) {
                double[] mean = new double[12];
                double[] variance = new double[12];
                java.util.Arrays.fill(mean, 2);
                java.util.Arrays.fill(variance, 1);
                out.add(
                        new TypeForecast(
                                hour,
                                tenant(),
                                type,
                                Duration.ofMinutes(5).toMillis(),
                                mean,
                                variance,
                                "snaive12",
                                0,
                                "seasonal naive: too little history",
                                List.of(),
                                List.of(),
                                null,
                                Double.NaN,
                                false,
                                null));
            }
        }
        return out;
    }

    private static <T> void write(PostgresSettings db, HistoryTable<T> table, List<T> rows)
            throws Exception {
        try (HistoryWriter<T> w = new HistoryWriter<>(db, table)) {
            for (T row : rows) {
                w.add(row);
            }
        }
    }

    /**
     * The rows {@code sql} returns that belong to this fixture (a value carries its tag), each as
     * its columns joined by {@code |} (numbers rounded to 6 significant digits), sorted.
     */
    public List<String> rows(Connection c, String sql) throws SQLException {
        return rows(c, sql, tag);
    }

    /**
     * Every row {@code sql} returns, as {@link #rows(Connection, String)} writes them: for queries
     * already restricted to one fixture (by its workflow type or pool).
     */
    public static List<String> allRows(Connection c, String sql) throws SQLException {
        return rows(c, sql, "");
    }

    private static List<String> rows(Connection c, String sql, String tag) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                boolean ours = false;
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    String text = text(v);
                    ours |= text.contains(tag);
                    row.append(i > 1 ? "|" : "").append(text);
                }
                if (ours) {
                    out.add(row.toString());
                }
            }
        }
        out.sort(null);
        return out;
    }

    private static String text(Object v) throws SQLException {
        if (v == null) {
            return "null";
        }
        if (v instanceof java.sql.Array a) {
            return java.util.Arrays.toString((Object[]) a.getArray());
        }
        if (v instanceof Number n && !(v instanceof Long || v instanceof Integer)) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15
                    ? Long.toString((long) d)
                    : new java.math.BigDecimal(d)
                            .round(new java.math.MathContext(6))
                            .stripTrailingZeros()
                            .toPlainString();
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        return v.toString();
    }

    private String type(String name) {
        return name + "-" + tag;
    }

    private void generate() {
        SplittableRandom random = new SplittableRandom(tag.hashCode());
        int run = 0;
        for (Instant hour = start(); hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            int h = hour.atZone(ZoneOffset.UTC).getHour();
            // a daily cycle peaking in the afternoon
            double rate = 0.5 + 2.5 * Math.exp(-Math.pow(h - 14, 2) / 18);
            for (String type : workflowTypes()) {
                int n =
                        (int)
                                Math.round(
                                        rate * (type.startsWith("orders") ? 1.5 : 1)
                                                + random.nextDouble()
                                                - 0.5);
                for (int i = 0; i < n; i++) {
                    Instant started = hour.plusSeconds(random.nextInt(3400));
                    String runId = "r" + (run++) + "-" + tag;
                    String parent =
                            runs.isEmpty() || !type.startsWith("reports") ? null : lastEtl();
                    runFrom(type, runId, started, parent, random);
                }
            }
        }
        // anomalies: a metric score, a sustained spike and a retry storm
        Instant peak = end.minus(Duration.ofHours(20));
        anomalies.add(
                anomaly(
                        "a1",
                        "metric",
                        peak,
                        type("etl"),
                        "transform",
                        "durationMs",
                        92000,
                        30000));
        anomalies.add(
                anomaly(
                        "a2",
                        "sustained-spike",
                        peak.plusSeconds(600),
                        type("etl"),
                        "transform",
                        "peakCores",
                        7.5,
                        2.0));
        anomalies.add(
                anomaly(
                        "a3",
                        "retry-storm",
                        peak.plusSeconds(3600),
                        type("orders"),
                        "charge-card",
                        null,
                        3,
                        0));
        // the pool of orders: warm capacity following the afternoon peak
        int target = 1;
        int ready = 1;
        for (Instant t = start(); t.isBefore(end); t = t.plus(Duration.ofMinutes(30))) {
            int h = t.atZone(ZoneOffset.UTC).getHour();
            int want = h >= 10 && h < 18 ? 3 : 1;
            if (want != target) {
                target = want;
                commands.add(command("c" + commands.size(), t, want));
            }
            ready = ready < target ? ready + 1 : Math.max(target, ready - 1);
            int warming = Math.max(0, target - ready);
            allocation.add(
                    new AllocationStatus(
                            "e" + allocation.size() + "-" + tag,
                            t,
                            pool(),
                            "target",
                            null,
                            null,
                            null,
                            null,
                            "floor",
                            "target " + target,
                            new Capacity(target, 0, 0, warming, 0, ready, 0, 0)));
        }
    }

    private String lastEtl() {
        for (int i = runs.size() - 1; i >= 0; i--) {
            if (runs.get(i).workflowType().startsWith("etl")) {
                return i % 2 == 0 ? runs.get(i).runId() : null;
            }
        }
        return null;
    }

    private void runFrom(
            String type, String runId, Instant started, String parent, SplittableRandom random) {
        List<String> actions =
                type.startsWith("orders")
                        ? List.of("reserve-stock", "charge-card", "ship")
                        : type.startsWith("etl")
                                ? List.of("extract", "transform", "load")
                                : List.of("query", "render");
        Instant t = started;
        double cpu = 0;
        double memory = 0;
        long network = 0;
        long read = 0;
        long written = 0;
        double cost = 0;
        int failed = 0;
        for (String action : actions) {
            long duration = duration(type, action, random);
            boolean fails = random.nextInt(20) == 0;
            double cores =
                    type.startsWith("etl")
                            ? 2 + random.nextDouble() * 2
                            : 0.5 + random.nextDouble();
            double cpuSeconds = cores * duration / 1000.0 * 0.8;
            long mem = (type.startsWith("etl") ? 2048L : 256L) << 20;
            long in =
                    type.startsWith("etl")
                            ? 50_000_000L + random.nextInt(10_000_000)
                            : 20_000 + random.nextInt(5000);
            long out = in / 4;
            long bytesRead = action.equals("extract") ? 200_000_000L : 4096;
            long bytesWritten = action.equals("load") ? 180_000_000L : 4096;
            double c = cpuSeconds * 0.0000114 + (in + out) / 1e9 * 0.09;
            List<String> certs =
                    action.equals("charge-card")
                            ? List.of("PCI-DSS")
                            : type.startsWith("reports") ? List.of("HIPAA") : List.of();
            t = t.plusMillis(duration + 200);
            samples.add(
                    new ActionSample(
                            runId + "-" + action,
                            t,
                            t.minusMillis(duration),
                            tenant(),
                            type,
                            runId,
                            action,
                            runId + "/" + action,
                            fails,
                            1,
                            duration,
                            cpuSeconds,
                            cores,
                            mem,
                            in,
                            out,
                            bytesRead,
                            bytesWritten,
                            "TLS1.3",
                            certs,
                            c,
                            "USD",
                            true,
                            Map.of("region", "eu-west-1")));
            cpu += cpuSeconds;
            memory += mem / 1073741824.0 * duration / 1000.0;
            network += in + out;
            read += bytesRead;
            written += bytesWritten;
            cost += c;
            failed += fails ? 1 : 0;
        }
        arrivals.computeIfAbsent(
                        started.truncatedTo(ChronoUnit.MINUTES) + " " + type, k -> new long[1])[
                0]++;
        runs.add(
                new RunSummary(
                        runId,
                        started,
                        t.plusMillis(100),
                        tenant(),
                        type,
                        parent,
                        "COMPLETED",
                        actions.size(),
                        failed,
                        cpu,
                        memory,
                        network,
                        read,
                        written,
                        cost,
                        "USD",
                        type.startsWith("orders") ? List.of("PCI-DSS") : List.of()));
    }

    private static long duration(String type, String action, SplittableRandom random) {
        long base =
                switch (action) {
                    case "transform" -> 30_000;
                    case "extract", "load" -> 12_000;
                    case "render" -> 8_000;
                    default -> 800;
                };
        return (long) (base * Math.exp(0.3 * (random.nextDouble() * 2 - 1)));
    }

    /** Per-minute statistics of the samples, as the job's window writes them. */
    private List<ActionStats> stats() {
        Map<String, List<ActionSample>> byMinute = new TreeMap<>();
        for (ActionSample s : samples) {
            byMinute.computeIfAbsent(
                            s.time().truncatedTo(ChronoUnit.MINUTES)
                                    + " "
                                    + s.workflowType()
                                    + " "
                                    + s.actionType(),
                            k -> new ArrayList<>())
                    .add(s);
        }
        List<ActionStats> out = new ArrayList<>();
        byMinute.forEach(
                (k, list) -> {
                    ActionSample first = list.get(0);
                    double[] d =
                            list.stream().mapToDouble(ActionSample::durationMs).sorted().toArray();
                    out.add(
                            new ActionStats(
                                    first.time().truncatedTo(ChronoUnit.MINUTES),
                                    tenant(),
                                    first.workflowType(),
                                    first.actionType(),
                                    list.size(),
                                    list.stream().filter(ActionSample::failed).count(),
                                    java.util.Arrays.stream(d).average().orElse(0),
                                    d[d.length / 2],
                                    d[(int) Math.min(d.length - 1, Math.ceil(0.95 * d.length) - 1)],
                                    list.stream().mapToDouble(ActionSample::cpuSeconds).sum(),
                                    list.stream()
                                            .mapToDouble(
                                                    s ->
                                                            s.peakMemoryBytes()
                                                                    / 1073741824.0
                                                                    * s.durationMs()
                                                                    / 1000.0)
                                            .sum(),
                                    list.stream().mapToLong(ActionSample::networkInBytes).sum(),
                                    list.stream().mapToLong(ActionSample::networkOutBytes).sum(),
                                    list.stream().mapToLong(ActionSample::bytesRead).sum(),
                                    list.stream().mapToLong(ActionSample::bytesWritten).sum(),
                                    list.stream().mapToDouble(ActionSample::cost).sum()));
                });
        return out;
    }

    private Anomaly anomaly(
            String id,
            String kind,
            Instant at,
            String type,
            String action,
            String metric,
            double observed,
            double expected) {
        return new Anomaly(
                id + "-" + tag,
                kind,
                at,
                tenant(),
                type,
                null,
                action,
                null,
                metric,
                observed,
                expected,
                9.5,
                Map.of());
    }

    private AllocationCommand command(String id, Instant at, int instances) {
        return new AllocationCommand(
                id + "-" + tag,
                pool(),
                0,
                0,
                0,
                instances,
                at.plus(Duration.ofMinutes(5)),
                at.plus(Duration.ofHours(8)),
                List.of(),
                0.9,
                "forecast",
                at,
                false);
    }

    private VerifiedEvent externalEvent() {
        return HistoryWriterTest.externalEvent(7, tenant(), "crm-" + tag);
    }
}
