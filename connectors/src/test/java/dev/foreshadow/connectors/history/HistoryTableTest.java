package dev.foreshadow.connectors.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.ActionStats;
import dev.foreshadow.connectors.records.AllocationBasis;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.AllocationStatus;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.connectors.records.VerifiedEvent;
import dev.foreshadow.connectors.records.WorkflowDependency;
import dev.foreshadow.models.lifecycle.Capacity;
import java.nio.file.Files;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every history table's sink must do, run once per table: every column of a row (awkward text
 * included) reads back as it was written, and a replay stores each row once. A table that joins the
 * history adds one subclass here.
 */
abstract class HistoryTableTest<T> {

    static final Instant TODAY = Instant.now().truncatedTo(ChronoUnit.DAYS);
    static final String AWKWARD = "tab\there, newline\nthere, back\\slash, \"quote\", é";

    private static EmbeddedDatabase db;

    private final HistoryTable<T> table;

    HistoryTableTest(HistoryTable<T> table) {
        this.table = table;
    }

    /** The {@code n}-th row, with {@code text} in a free-text column; rows differ in their key. */
    abstract T row(int n, String text);

    /** Each column of {@code row} as it should read back (Instant, String, Number, List, Map). */
    abstract Map<String, Object> columns(T row);

    @BeforeAll
    static synchronized void startDatabase() throws Exception {
        if (db == null) {
            db = EmbeddedDatabase.start(Files.createTempDirectory("history-tables"));
            Runtime.getRuntime().addShutdownHook(new Thread(HistoryTableTest::stopDatabase));
            try (Connection c = db.settings().connect()) {
                Migrations.apply(c);
            }
        }
    }

    private static void stopDatabase() {
        try {
            db.close();
        } catch (Exception e) {
            // the JVM is exiting
        }
    }

    @BeforeEach
    void emptyTable() throws SQLException {
        try (Connection c = db.settings().connect();
                Statement st = c.createStatement()) {
            st.execute("TRUNCATE " + table.name());
        }
    }

    @Test
    void everyColumnReadsBackAsItWasWritten() throws Exception {
        T row = row(1, AWKWARD);
        Map<String, Object> expected = columns(row);
        assertThat(expected.keySet()).as("every column").containsExactlyElementsOf(table.columns());

        try (HistoryWriter<T> w = new HistoryWriter<>(db.settings(), table)) {
            w.add(row);
        }

        try (Connection c = db.settings().connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT "
                                        + String.join(", ", table.columns())
                                        + " FROM "
                                        + table.name())) {
            assertThat(rs.next()).isTrue();
            for (String column : table.columns()) {
                assertThat(read(rs, column, expected.get(column)))
                        .as(table.name() + "." + column)
                        .isEqualTo(expected.get(column));
            }
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void replayingRowsStoresEachOnce() throws Exception {
        try (HistoryWriter<T> w = new HistoryWriter<>(db.settings(), table)) {
            w.add(row(1, "x"));
            w.add(row(2, "x"));
            w.flush();
            w.add(row(2, "x"));
            w.add(row(3, "x"));
            w.flush();
            assertThat(w.replayedBatches()).isEqualTo(1);
        }
        try (Connection c = db.settings().connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.name())) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3);
        }
    }

    /** The column's value in the Java type of {@code like}. */
    private static Object read(ResultSet rs, String column, Object like) throws Exception {
        Object v = rs.getObject(column);
        if (v == null) {
            return null;
        }
        if (like instanceof Instant) {
            return ((Timestamp) v).toInstant();
        }
        if (like instanceof List<?>) {
            return Arrays.asList((Object[]) ((Array) v).getArray());
        }
        if (like instanceof com.fasterxml.jackson.databind.JsonNode) {
            return Json.MAPPER.readTree(rs.getString(column));
        }
        if (like instanceof Map<?, ?>) {
            return Json.MAPPER.readValue(
                    rs.getString(column), new TypeReference<Map<String, String>>() {});
        }
        if (like instanceof Long || like instanceof Integer) {
            return ((Number) v).longValue();
        }
        if (like instanceof Double) {
            return ((Number) v).doubleValue();
        }
        return v;
    }

    /** Columns in table order, with whole numbers as longs. */
    static Map<String, Object> columns(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            m.put((String) namesAndValues[i], v instanceof Integer n ? (Object) n.longValue() : v);
        }
        return m;
    }

    static final class ActionSamplesTest extends HistoryTableTest<ActionSample> {
        ActionSamplesTest() {
            super(HistoryTables.ACTION_SAMPLES);
        }

        @Override
        ActionSample row(int n, String text) {
            return HistoryWriterTest.sample(
                    "e-" + n,
                    TODAY.plusSeconds(n),
                    "order-fulfilment",
                    List.of("PCI-DSS", "HIPAA \"v2\""),
                    Map.of("region", "eu-west-1", "note", text));
        }

        @Override
        Map<String, Object> columns(ActionSample s) {
            return columns(
                    "time",
                    s.time(),
                    "event_id",
                    s.eventId(),
                    "start_time",
                    s.startTime(),
                    "tenant",
                    s.tenant(),
                    "workflow_type",
                    s.workflowType(),
                    "run_id",
                    s.runId(),
                    "action_type",
                    s.actionType(),
                    "action_id",
                    s.actionId(),
                    "failed",
                    s.failed(),
                    "attempt",
                    s.attempt(),
                    "duration_ms",
                    s.durationMs(),
                    "cpu_seconds",
                    s.cpuSeconds(),
                    "peak_cores",
                    s.peakCores(),
                    "peak_memory_bytes",
                    s.peakMemoryBytes(),
                    "network_in_bytes",
                    s.networkInBytes(),
                    "network_out_bytes",
                    s.networkOutBytes(),
                    "bytes_read",
                    s.bytesRead(),
                    "bytes_written",
                    s.bytesWritten(),
                    "encryption",
                    s.encryption(),
                    "certifications",
                    s.certifications(),
                    "cost",
                    s.cost(),
                    "currency",
                    s.currency(),
                    "cost_estimated",
                    s.costEstimated(),
                    "attributes",
                    s.attributes());
        }
    }

    static final class WorkflowRunsTest extends HistoryTableTest<RunSummary> {
        WorkflowRunsTest() {
            super(HistoryTables.WORKFLOW_RUNS);
        }

        @Override
        RunSummary row(int n, String text) {
            return new RunSummary(
                    "run-" + n,
                    TODAY.plusSeconds(n),
                    TODAY.plusSeconds(n + 60),
                    "shop",
                    "order-fulfilment",
                    text,
                    RunSummary.COMPLETED,
                    3,
                    1,
                    1.25,
                    0.5,
                    2048,
                    10,
                    20,
                    0.00042,
                    "USD",
                    List.of("PCI-DSS"));
        }

        @Override
        Map<String, Object> columns(RunSummary r) {
            return columns(
                    "time",
                    r.endTime(),
                    "run_id",
                    r.runId(),
                    "start_time",
                    r.startTime(),
                    "tenant",
                    r.tenant(),
                    "workflow_type",
                    r.workflowType(),
                    "triggered_by",
                    r.triggeredBy(),
                    "status",
                    r.status(),
                    "actions",
                    r.actions(),
                    "failed_actions",
                    r.failedActions(),
                    "cpu_seconds",
                    r.cpuSeconds(),
                    "memory_gib_seconds",
                    r.memoryGibSeconds(),
                    "network_bytes",
                    r.networkBytes(),
                    "bytes_read",
                    r.bytesRead(),
                    "bytes_written",
                    r.bytesWritten(),
                    "cost",
                    r.cost(),
                    "currency",
                    r.currency(),
                    "certifications",
                    r.certifications());
        }
    }

    static final class ActionStatsTest extends HistoryTableTest<ActionStats> {
        ActionStatsTest() {
            super(HistoryTables.ACTION_STATS);
        }

        @Override
        ActionStats row(int n, String text) {
            return new ActionStats(
                    TODAY.plusSeconds(60L * n),
                    "shop",
                    "order-fulfilment",
                    text,
                    12,
                    1,
                    812.5,
                    800,
                    1500.25,
                    4.92,
                    3.5,
                    218808,
                    109440,
                    0,
                    49152,
                    0.0025);
        }

        @Override
        Map<String, Object> columns(ActionStats s) {
            return columns(
                    "bucket",
                    s.bucket(),
                    "tenant",
                    s.tenant(),
                    "workflow_type",
                    s.workflowType(),
                    "action_type",
                    s.actionType(),
                    "count",
                    s.count(),
                    "failures",
                    s.failures(),
                    "duration_mean_ms",
                    s.durationMeanMs(),
                    "duration_p50_ms",
                    s.durationP50Ms(),
                    "duration_p95_ms",
                    s.durationP95Ms(),
                    "cpu_seconds",
                    s.cpuSeconds(),
                    "memory_gib_seconds",
                    s.memoryGibSeconds(),
                    "network_in_bytes",
                    s.networkInBytes(),
                    "network_out_bytes",
                    s.networkOutBytes(),
                    "bytes_read",
                    s.bytesRead(),
                    "bytes_written",
                    s.bytesWritten(),
                    "cost",
                    s.cost());
        }
    }

    static final class ArrivalsTest extends HistoryTableTest<Arrivals> {
        ArrivalsTest() {
            super(HistoryTables.ARRIVALS);
        }

        @Override
        Arrivals row(int n, String text) {
            return new Arrivals(TODAY.plusSeconds(60L * n), "shop", text, 7);
        }

        @Override
        Map<String, Object> columns(Arrivals a) {
            return columns(
                    "bucket",
                    a.bucket(),
                    "tenant",
                    a.tenant(),
                    "workflow_type",
                    a.workflowType(),
                    "runs",
                    a.runs());
        }
    }

    static final class AnomaliesTest extends HistoryTableTest<Anomaly> {
        AnomaliesTest() {
            super(HistoryTables.ANOMALIES);
        }

        @Override
        Anomaly row(int n, String text) {
            return new Anomaly(
                    "metric:e-" + n + ":durationMs",
                    "metric",
                    TODAY.plusSeconds(n),
                    "shop",
                    "order-fulfilment",
                    "run-1",
                    "charge-card",
                    "act-1",
                    "durationMs",
                    9000.0,
                    812.0,
                    0.97,
                    Map.of("note", text));
        }

        @Override
        Map<String, Object> columns(Anomaly a) {
            return columns(
                    "time",
                    a.time(),
                    "anomaly_id",
                    a.anomalyId(),
                    "kind",
                    a.kind(),
                    "tenant",
                    a.tenant(),
                    "workflow_type",
                    a.workflowType(),
                    "run_id",
                    a.runId(),
                    "action_type",
                    a.actionType(),
                    "action_id",
                    a.actionId(),
                    "metric",
                    a.metric(),
                    "observed",
                    a.observed(),
                    "expected",
                    a.expected(),
                    "score",
                    a.score(),
                    "context",
                    a.context());
        }
    }

    static final class AllocationCommandsTest extends HistoryTableTest<AllocationCommand> {
        AllocationCommandsTest() {
            super(HistoryTables.ALLOCATION_COMMANDS);
        }

        @Override
        AllocationCommand row(int n, String text) {
            return new AllocationCommand(
                    "forecast:" + n,
                    "shop/" + text,
                    16.0,
                    64L << 30,
                    125_000_000L,
                    2,
                    TODAY.plusSeconds(600),
                    TODAY.plusSeconds(4200),
                    List.of("PCI-DSS"),
                    0.9,
                    "forecast",
                    TODAY.plusSeconds(n),
                    true,
                    "forecast",
                    new AllocationBasis(
                            14.5,
                            15.2,
                            3.0,
                            12.2,
                            2,
                            1,
                            Map.of("orders", "snaive24"),
                            List.of(),
                            List.of()));
        }

        @Override
        Map<String, Object> columns(AllocationCommand c) {
            return columns(
                    "issued_at", c.issuedAt(),
                    "command_id", c.commandId(),
                    "pool", c.pool(),
                    "cores", c.cores(),
                    "memory_bytes", c.memoryBytes(),
                    "network_bytes_per_second", c.networkBytesPerSecond(),
                    "instances", c.instances(),
                    "ready_by", c.readyBy(),
                    "expires_at", c.expiresAt(),
                    "certifications", c.certifications(),
                    "quantile", c.quantile(),
                    "reason", c.reason(),
                    "dry_run", c.dryRun(),
                    "rule", c.rule(),
                    "basis", Json.MAPPER.valueToTree(c.basis()));
        }
    }

    static final class AllocationEventsTest extends HistoryTableTest<AllocationStatus> {
        AllocationEventsTest() {
            super(HistoryTables.ALLOCATION_EVENTS);
        }

        @Override
        AllocationStatus row(int n, String text) {
            return new AllocationStatus(
                    "change-" + n,
                    TODAY.plusSeconds(n),
                    "shop/orders",
                    "transition",
                    "forecast:1",
                    "vm-" + n,
                    "warming",
                    "ready",
                    "validation",
                    text,
                    new Capacity(3, 3, 0, 1, 2, 0, 0, 0));
        }

        @Override
        Map<String, Object> columns(AllocationStatus e) {
            Capacity c = e.capacity();
            return columns(
                    "time", e.time(),
                    "event_id", e.eventId(),
                    "pool", e.pool(),
                    "action", e.action(),
                    "command_id", e.commandId(),
                    "instance_id", e.instanceId(),
                    "from_state", e.from(),
                    "to_state", e.to(),
                    "rule", e.rule(),
                    "result", e.result(),
                    "target", c.target(),
                    "requested", c.requested(),
                    "provisioning", c.provisioning(),
                    "warming", c.warming(),
                    "ready", c.ready(),
                    "in_service", c.inService(),
                    "draining", c.draining(),
                    "failed", c.failed());
        }
    }

    static final class ExternalEventsTest extends HistoryTableTest<VerifiedEvent> {
        ExternalEventsTest() {
            super(HistoryTables.EXTERNAL_EVENTS);
        }

        @Override
        VerifiedEvent row(int n, String text) {
            return HistoryWriterTest.externalEvent(n, "shop", text);
        }

        @Override
        Map<String, Object> columns(VerifiedEvent v) {
            ExternalEvent e = v.event();
            return columns(
                    "signed_at",
                    v.signedAt(),
                    "key_id",
                    v.envelope().keyId(),
                    "nonce",
                    v.envelope().nonce(),
                    "event_id",
                    e.eventId(),
                    "tenant",
                    e.tenant(),
                    "source",
                    e.source(),
                    "kind",
                    e.kind(),
                    "start_time",
                    e.start(),
                    "end_time",
                    e.end(),
                    "magnitude",
                    e.magnitude(),
                    "workflow_types",
                    e.workflowTypes(),
                    "announced_at",
                    e.announcedAt(),
                    "received_at",
                    v.receivedAt(),
                    "signature",
                    v.envelope().signature(),
                    "body",
                    v.envelope().body());
        }
    }

    static final class WorkflowDependenciesTest extends HistoryTableTest<WorkflowDependency> {
        WorkflowDependenciesTest() {
            super(HistoryTables.WORKFLOW_DEPENDENCIES);
        }

        @Override
        WorkflowDependency row(int n, String text) {
            return new WorkflowDependency(
                    TODAY.plusSeconds(300L * n),
                    "shop",
                    "checkout",
                    text,
                    0.25,
                    60_000,
                    new double[] {0.5, 0.25, 0.25},
                    40,
                    10);
        }

        @Override
        Map<String, Object> columns(WorkflowDependency d) {
            return columns(
                    "time",
                    d.time(),
                    "tenant",
                    d.tenant(),
                    "parent_type",
                    d.parentType(),
                    "child_type",
                    d.childType(),
                    "probability",
                    0.25,
                    "mean_lag_seconds",
                    75.0, // 0.5 x 30 s + 0.25 x 90 s + 0.25 x 150 s
                    "lag_bin_seconds",
                    60,
                    "lag_weights",
                    List.of(0.5, 0.25, 0.25),
                    "parent_runs",
                    40,
                    "triggered_runs",
                    10);
        }
    }

    static final class ForecastsTest extends HistoryTableTest<TypeForecast> {
        ForecastsTest() {
            super(HistoryTables.FORECASTS);
        }

        @Override
        TypeForecast row(int n, String text) {
            return new TypeForecast(
                    TODAY.plusSeconds(300L * n),
                    "shop",
                    "checkout",
                    300_000,
                    new double[] {4, 9},
                    new double[] {4, 9},
                    "snaive12",
                    2,
                    text,
                    List.of("campaign x2.00 (announced magnitude)"),
                    List.of(),
                    TODAY,
                    0.8,
                    false,
                    null);
        }

        @Override
        Map<String, Object> columns(TypeForecast f) {
            double z = 1.2815515655446004;
            return columns(
                    "origin",
                    f.origin(),
                    "tenant",
                    "shop",
                    "workflow_type",
                    "checkout",
                    "step_seconds",
                    300,
                    "model",
                    "snaive12",
                    "model_version",
                    2,
                    "why",
                    f.why(),
                    "mean",
                    List.of(4.0, 9.0),
                    "p10",
                    List.of(4 - 2 * z, 9 - 3 * z),
                    "p90",
                    List.of(4 + 2 * z, 9 + 3 * z),
                    "events",
                    List.of("campaign x2.00 (announced magnitude)"),
                    "dependencies",
                    List.of(),
                    "scored_origin",
                    TODAY,
                    "mase",
                    0.8,
                    "retrain",
                    false);
        }
    }
}
