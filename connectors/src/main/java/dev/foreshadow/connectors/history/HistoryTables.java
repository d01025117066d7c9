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
import dev.foreshadow.connectors.records.WorkflowDependency;
import dev.foreshadow.models.lifecycle.Capacity;
import java.util.List;

/**
 * The tables the jobs write, in one place: columns here match the migrations under {@code sql/}.
 */
public final class HistoryTables {

    public static final HistoryTable<ActionSample> ACTION_SAMPLES =
            new HistoryTable<>(
                    "action_samples",
                    List.of(
                            "time",
                            "event_id",
                            "start_time",
                            "tenant",
                            "workflow_type",
                            "run_id",
                            "action_type",
                            "action_id",
                            "failed",
                            "attempt",
                            "duration_ms",
                            "cpu_seconds",
                            "peak_cores",
                            "peak_memory_bytes",
                            "network_in_bytes",
                            "network_out_bytes",
                            "bytes_read",
                            "bytes_written",
                            "encryption",
                            "certifications",
                            "cost",
                            "currency",
                            "cost_estimated",
                            "attributes"),
                    ActionSample::time,
                    (s, row) ->
                            row.time(s.time())
                                    .text(s.eventId())
                                    .time(s.startTime())
                                    .text(s.tenant())
                                    .text(s.workflowType())
                                    .text(s.runId())
                                    .text(s.actionType())
                                    .text(s.actionId())
                                    .bool(s.failed())
                                    .number(s.attempt())
                                    .number(s.durationMs())
                                    .number(s.cpuSeconds())
                                    .number(s.peakCores())
                                    .number(s.peakMemoryBytes())
                                    .number(s.networkInBytes())
                                    .number(s.networkOutBytes())
                                    .number(s.bytesRead())
                                    .number(s.bytesWritten())
                                    .text(s.encryption())
                                    .textArray(s.certifications())
                                    .number(s.cost())
                                    .text(s.currency())
                                    .bool(s.costEstimated())
                                    .json(s.attributes()));

    public static final HistoryTable<RunSummary> WORKFLOW_RUNS =
            new HistoryTable<>(
                    "workflow_runs",
                    List.of(
                            "time",
                            "run_id",
                            "start_time",
                            "tenant",
                            "workflow_type",
                            "triggered_by",
                            "status",
                            "actions",
                            "failed_actions",
                            "cpu_seconds",
                            "memory_gib_seconds",
                            "network_bytes",
                            "bytes_read",
                            "bytes_written",
                            "cost",
                            "currency",
                            "certifications"),
                    RunSummary::endTime,
                    (r, row) ->
                            row.time(r.endTime())
                                    .text(r.runId())
                                    .time(r.startTime())
                                    .text(r.tenant())
                                    .text(r.workflowType())
                                    .text(r.triggeredBy())
                                    .text(r.status())
                                    .number(r.actions())
                                    .number(r.failedActions())
                                    .number(r.cpuSeconds())
                                    .number(r.memoryGibSeconds())
                                    .number(r.networkBytes())
                                    .number(r.bytesRead())
                                    .number(r.bytesWritten())
                                    .number(r.cost())
                                    .text(r.currency())
                                    .textArray(r.certifications()));

    public static final HistoryTable<ActionStats> ACTION_STATS =
            new HistoryTable<>(
                    "action_stats",
                    List.of(
                            "bucket",
                            "tenant",
                            "workflow_type",
                            "action_type",
                            "count",
                            "failures",
                            "duration_mean_ms",
                            "duration_p50_ms",
                            "duration_p95_ms",
                            "cpu_seconds",
                            "memory_gib_seconds",
                            "network_in_bytes",
                            "network_out_bytes",
                            "bytes_read",
                            "bytes_written",
                            "cost"),
                    ActionStats::bucket,
                    (s, row) ->
                            row.time(s.bucket())
                                    .text(s.tenant())
                                    .text(s.workflowType())
                                    .text(s.actionType())
                                    .number(s.count())
                                    .number(s.failures())
                                    .number(s.durationMeanMs())
                                    .number(s.durationP50Ms())
                                    .number(s.durationP95Ms())
                                    .number(s.cpuSeconds())
                                    .number(s.memoryGibSeconds())
                                    .number(s.networkInBytes())
                                    .number(s.networkOutBytes())
                                    .number(s.bytesRead())
                                    .number(s.bytesWritten())
                                    .number(s.cost()));

    public static final HistoryTable<Arrivals> ARRIVALS =
            new HistoryTable<>(
                    "arrivals",
                    List.of("bucket", "tenant", "workflow_type", "runs"),
                    Arrivals::bucket,
                    (a, row) ->
                            row.time(a.bucket())
                                    .text(a.tenant())
                                    .text(a.workflowType())
                                    .number(a.runs()));

    public static final HistoryTable<Anomaly> ANOMALIES =
            new HistoryTable<>(
                    "anomalies",
                    List.of(
                            "time",
                            "anomaly_id",
                            "kind",
                            "tenant",
                            "workflow_type",
                            "run_id",
                            "action_type",
                            "action_id",
                            "metric",
                            "observed",
                            "expected",
                            "score",
                            "context"),
                    Anomaly::time,
                    (a, row) ->
                            row.time(a.time())
                                    .text(a.anomalyId())
                                    .text(a.kind())
                                    .text(a.tenant())
                                    .text(a.workflowType())
                                    .text(a.runId())
                                    .text(a.actionType())
                                    .text(a.actionId())
                                    .text(a.metric())
                                    .number(a.observed())
                                    .number(a.expected())
                                    .number(a.score())
                                    .json(a.context()));

    public static final HistoryTable<AllocationCommand> ALLOCATION_COMMANDS =
            new HistoryTable<>(
                    "allocation_commands",
                    List.of(
                            "issued_at",
                            "command_id",
                            "pool",
                            "cores",
                            "memory_bytes",
                            "network_bytes_per_second",
                            "instances",
                            "ready_by",
                            "expires_at",
                            "certifications",
                            "quantile",
                            "reason",
                            "dry_run",
                            "rule",
                            "basis"),
                    AllocationCommand::issuedAt,
                    (c, row) ->
                            row.time(c.issuedAt())
                                    .text(c.commandId())
                                    .text(c.pool())
                                    .number(c.cores())
                                    .number(c.memoryBytes())
                                    .number(c.networkBytesPerSecond())
                                    .number(c.instances())
                                    .time(c.readyBy())
                                    .time(c.expiresAt())
                                    .textArray(c.certifications())
                                    .number(c.quantile())
                                    .text(c.reason())
                                    .bool(c.dryRun())
                                    .text(c.rule())
                                    .jsonOf(c.basis()));

    public static final HistoryTable<AllocationStatus> ALLOCATION_EVENTS =
            new HistoryTable<>(
                    "allocation_events",
                    List.of(
                            "time",
                            "event_id",
                            "pool",
                            "action",
                            "command_id",
                            "instance_id",
                            "from_state",
                            "to_state",
                            "rule",
                            "result",
                            "target",
                            "requested",
                            "provisioning",
                            "warming",
                            "ready",
                            "in_service",
                            "draining",
                            "failed"),
                    AllocationStatus::time,
                    (e, row) -> {
                        row.time(e.time())
                                .text(e.eventId())
                                .text(e.pool())
                                .text(e.action())
                                .text(e.commandId())
                                .text(e.instanceId())
                                .text(e.from())
                                .text(e.to())
                                .text(e.rule())
                                .text(e.result());
                        Capacity c = e.capacity();
                        if (c == null) {
                            for (int i = 0; i < 8; i++) {
                                row.text(null);
                            }
                        } else {
                            row.number(c.target())
                                    .number(c.requested())
                                    .number(c.provisioning())
                                    .number(c.warming())
                                    .number(c.ready())
                                    .number(c.inService())
                                    .number(c.draining())
                                    .number(c.failed());
                        }
                    });

    /**
     * Every accepted external event, one row per signed record: the event, who signed it and when,
     * and the signed body and signature, so it can be verified again later.
     */
    public static final HistoryTable<VerifiedEvent> EXTERNAL_EVENTS =
            new HistoryTable<>(
                    "external_events",
                    List.of(
                            "signed_at",
                            "key_id",
                            "nonce",
                            "event_id",
                            "tenant",
                            "source",
                            "kind",
                            "start_time",
                            "end_time",
                            "magnitude",
                            "workflow_types",
                            "announced_at",
                            "received_at",
                            "signature",
                            "body"),
                    VerifiedEvent::signedAt,
                    (v, row) ->
                            row.time(v.signedAt())
                                    .text(v.envelope().keyId())
                                    .text(v.envelope().nonce())
                                    .text(v.event().eventId())
                                    .text(v.event().tenant())
                                    .text(v.event().source())
                                    .text(v.event().kind())
                                    .time(v.event().start())
                                    .time(v.event().end())
                                    .number(v.event().magnitude())
                                    .textArray(v.event().workflowTypes())
                                    .time(v.event().announcedAt())
                                    .time(v.receivedAt())
                                    .text(v.envelope().signature())
                                    .text(v.envelope().body()));

    /** Which workflow types start which, each time ShadowJob publishes its estimate (sql/V013). */
    public static final HistoryTable<WorkflowDependency> WORKFLOW_DEPENDENCIES =
            new HistoryTable<>(
                    "workflow_dependencies",
                    List.of(
                            "time",
                            "tenant",
                            "parent_type",
                            "child_type",
                            "probability",
                            "mean_lag_seconds",
                            "lag_bin_seconds",
                            "lag_weights",
                            "parent_runs",
                            "triggered_runs"),
                    WorkflowDependency::time,
                    (d, row) ->
                            row.time(d.time())
                                    .text(d.tenant())
                                    .text(d.parentType())
                                    .text(d.childType())
                                    .number(d.probability())
                                    .number(d.meanLagSeconds())
                                    .number(d.lagBinMs() / 1000)
                                    .numberArray(d.lagWeights())
                                    .number(d.parentRuns())
                                    .number(d.triggeredRuns()));

    /** Each workflow type's arrivals forecast per bucket, and its score once known (sql/V014). */
    public static final HistoryTable<TypeForecast> FORECASTS =
            new HistoryTable<>(
                    "forecasts",
                    List.of(
                            "origin",
                            "tenant",
                            "workflow_type",
                            "step_seconds",
                            "model",
                            "model_version",
                            "why",
                            "mean",
                            "p10",
                            "p90",
                            "events",
                            "dependencies",
                            "scored_origin",
                            "mase",
                            "retrain"),
                    TypeForecast::origin,
                    (f, row) -> {
                        row.time(f.origin())
                                .text(f.tenant())
                                .text(f.workflowType())
                                .number(f.stepMs() / 1000)
                                .text(f.model())
                                .number(f.modelVersion())
                                .text(f.why())
                                .numberArray(f.mean())
                                .numberArray(f.p10())
                                .numberArray(f.p90())
                                .textArray(f.events())
                                .textArray(f.dependencies())
                                .time(f.scoredOrigin());
                        if (Double.isNaN(f.mase())) {
                            row.text(null);
                        } else {
                            row.number(f.mase());
                        }
                        row.bool(f.retrain());
                    });

    private HistoryTables() {}
}
