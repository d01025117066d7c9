package dev.foreshadow.jobs.shadow.shadowing;

import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.common.JobMetrics;
import dev.foreshadow.jobs.operators.RunState;
import dev.foreshadow.models.cost.PriceCatalog;
import dev.foreshadow.models.demand.ResourceProfile;
import dev.foreshadow.models.domain.RunKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The shadow of one workflow run (keyed by {@link RunKey}): mirrors the run from its events without
 * executing anything.
 *
 * <p>In: validated {@link WorkflowEvent}s of one run. Out: an {@link ActionSample} each time an
 * action ends (cost from the event, else from the {@link PriceCatalog}); on {@link #RUN_SUMMARIES}
 * a {@link RunSummary} when the run ends; on {@link #RUN_STARTS} one {@link Arrivals} of 1 when the
 * run starts (the arrivals series); on {@link #RUN_PROGRESS} a {@link RunProgress} each time a
 * started run ends one more action (its {@link RunSummary#actions()} are the last one's count), so
 * the planner knows how far each run in flight has got.
 *
 * <p>Duplicates (same event id) are ignored. Out-of-order events are handled: an action that
 * finishes before its start was seen gets its start from its duration, and a start seen after the
 * finish is ignored; a run whose WORKFLOW_FINISHED arrives before some of its actions waits {@code
 * completionGrace} of event time for them before its summary is written. A run with no event for
 * {@code runTtl} of event time is recorded as ABANDONED. Either way, all of its state is cleared.
 */
public final class Shadow extends KeyedProcessFunction<String, WorkflowEvent, ActionSample>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<RunSummary> RUN_SUMMARIES = new OutputTag<>("run-summaries") {};
    public static final OutputTag<Arrivals> RUN_STARTS = new OutputTag<>("run-starts") {};
    public static final OutputTag<RunProgress> RUN_PROGRESS = new OutputTag<>("run-progress") {};

    static final String RUN_STATE = "run";
    static final String ACTIONS_STATE = "actions";
    static final String SEEN_EVENTS_STATE = "seen-events";
    static final String RUNS_IN_FLIGHT_STATE = "runs-in-flight";

    /**
     * An ended action in {@link #actions} is kept as this plus its end time (ms), so that a late
     * ACTION_STARTED for it is ignored and the run's progress is known at its end; any value at or
     * below half of it is an end ({@link Long#MIN_VALUE}, the mark of 0.1's savepoints, one whose
     * time is not known).
     */
    static final long ENDED_AT = Long.MIN_VALUE / 2;

    static boolean ended(long value) {
        return value <= ENDED_AT / 2;
    }

    private final Duration runTtl;
    private final Duration completionGrace;
    private final PriceCatalog prices;

    /** The run: identity, timer, and resources and cost accumulated so far. */
    private transient ValueState<RunState> run;

    /**
     * Action id and attempt -> event time (ms) the attempt started, or {@link #ENDED_AT} plus the
     * time it ended.
     */
    private transient MapState<String, Long> actions;

    /** Ids of the events already applied to the run (for duplicates). */
    private transient MapState<String, Boolean> seenEvents;

    /**
     * Operator state: this subtask's count of runs in flight at the last checkpoint, so that the
     * {@code runsInFlight} gauge survives a restart; after a rescale each subtask takes some of the
     * old counts, and their sum is still the job's.
     */
    private transient ListState<Long> runsInFlightState;

    /** Runs with state on this subtask (started, or restored, and not yet ended). */
    private transient long runsInFlight;

    public Shadow(Duration runTtl, Duration completionGrace, PriceCatalog prices) {
        this.runTtl = runTtl;
        this.completionGrace = completionGrace;
        this.prices = prices;
    }

    @Override
    public void open(OpenContext openContext) {
        run = getRuntimeContext().getState(new ValueStateDescriptor<>(RUN_STATE, RunState.class));
        actions =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(ACTIONS_STATE, Types.STRING, Types.LONG));
        seenEvents =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        SEEN_EVENTS_STATE, Types.STRING, Types.BOOLEAN));
        getRuntimeContext()
                .getMetricGroup()
                .gauge(JobMetrics.RUNS_IN_FLIGHT, (Gauge<Long>) () -> runsInFlight);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        runsInFlightState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>(RUNS_IN_FLIGHT_STATE, Types.LONG));
        runsInFlight = 0;
        for (Long n : runsInFlightState.get()) {
            runsInFlight += n;
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        runsInFlightState.update(List.of(runsInFlight));
    }

    @Override
    public void processElement(WorkflowEvent e, Context ctx, Collector<ActionSample> out)
            throws Exception {
        if (seenEvents.contains(e.eventId())) {
            return;
        }
        seenEvents.put(e.eventId(), true);

        RunState r = run.value();
        if (r == null) {
            runsInFlight++;
            r = new RunState();
            r.tenant = e.tenant();
            r.workflowType = e.workflowType();
            r.runId = e.runId();
            r.currency = prices.currency();
        }
        long t = e.time().toEpochMilli();
        r.lastEventMillis = Math.max(r.lastEventMillis, t);
        if (r.triggeredBy == null) {
            r.triggeredBy = e.triggeredBy();
        }

        switch (e.type()) {
            case WORKFLOW_STARTED -> {
                if (!r.started()) {
                    r.startMillis = t;
                    ctx.output(RUN_STARTS, new Arrivals(e.time(), e.tenant(), e.workflowType(), 1));
                    if (r.actions > 0) {
                        // actions that ended before the start event came
                        ctx.output(RUN_PROGRESS, progress(e, r, 0));
                    }
                }
            }
            case ACTION_STARTED -> {
                if (!actions.contains(attemptKey(e))) {
                    actions.put(attemptKey(e), t);
                }
            }
            case ACTION_FINISHED, ACTION_FAILED -> {
                out.collect(endAction(e, r));
                if (r.started()) {
                    ctx.output(RUN_PROGRESS, progress(e, r, r.actions - 1));
                }
            }
            case WORKFLOW_FINISHED -> r.finishedMillis = Math.max(r.finishedMillis, t);
        }
        rescheduleTimer(r, ctx);
        run.update(r);
    }

    private static RunProgress progress(WorkflowEvent e, RunState r, int from) {
        return new RunProgress(
                e.tenant(),
                e.workflowType(),
                r.startMillis,
                from,
                r.actions,
                e.time().toEpochMilli());
    }

    private ActionSample endAction(WorkflowEvent e, RunState r) throws Exception {
        ActionMetrics m = e.metrics();
        long end = e.time().toEpochMilli();
        Long started = actions.get(attemptKey(e));
        long start =
                started != null && !ended(started)
                        ? started
                        : m.durationMs() != null ? end - m.durationMs() : end;
        long durationMs = m.durationMs() != null ? m.durationMs() : Math.max(0, end - start);
        actions.put(attemptKey(e), ENDED_AT + Math.max(0, end));

        double cpu = orZero(m.cpuSeconds());
        long memory = orZero(m.peakMemoryBytes());
        long netIn = orZero(m.networkInBytes());
        long netOut = orZero(m.networkOutBytes());
        double memoryGibSeconds = memory / (1024.0 * 1024 * 1024) * (durationMs / 1000.0);
        boolean estimated = e.cost() == null;
        double cost =
                estimated ? prices.cost(cpu, memoryGibSeconds, netIn + netOut) : e.cost().amount();
        String currency = estimated ? prices.currency() : e.cost().currency();
        boolean failed = e.type() == EventType.ACTION_FAILED;

        r.actions++;
        r.failedActions += failed ? 1 : 0;
        r.cpuSeconds += cpu;
        r.memoryGibSeconds += memoryGibSeconds;
        r.networkBytes += netIn + netOut;
        r.bytesRead += orZero(m.bytesRead());
        r.bytesWritten += orZero(m.bytesWritten());
        if (currency.equals(r.currency)) {
            // a run's total is in one currency; amounts in another stay on their samples only
            r.cost += cost;
        }
        r.addCertifications(e.security().certifications());

        return new ActionSample(
                e.eventId(),
                e.time(),
                Instant.ofEpochMilli(start),
                e.tenant(),
                e.workflowType(),
                e.runId(),
                e.actionType(),
                e.actionId(),
                failed,
                e.attempt() == null ? 1 : e.attempt(),
                durationMs,
                cpu,
                m.peakCores() == null ? 0 : m.peakCores(),
                memory,
                netIn,
                netOut,
                orZero(m.bytesRead()),
                orZero(m.bytesWritten()),
                e.security().encryption(),
                e.security().certifications(),
                cost,
                currency,
                estimated,
                e.attributes());
    }

    /**
     * One timer per run: the end of the grace period once finished, else the TTL after its latest
     * event.
     */
    private void rescheduleTimer(RunState r, Context ctx) {
        long at =
                r.finished()
                        ? r.finishedMillis + completionGrace.toMillis()
                        : r.lastEventMillis + runTtl.toMillis();
        if (at != r.timerMillis) {
            if (r.timerMillis != Long.MIN_VALUE) {
                ctx.timerService().deleteEventTimeTimer(r.timerMillis);
            }
            ctx.timerService().registerEventTimeTimer(at);
            r.timerMillis = at;
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionSample> out)
            throws Exception {
        RunState r = run.value();
        if (r == null || timestamp != r.timerMillis) {
            return;
        }
        ctx.output(
                RUN_SUMMARIES,
                r.finished()
                        ? r.summary(RunSummary.COMPLETED, r.finishedMillis, progress(r))
                        : r.summary(RunSummary.ABANDONED, r.lastEventMillis, progress(r)));
        // the run is over (or given up on): nothing of it is needed any more; a straggler after
        // this point starts a fresh state that the TTL clears, and its sample is still stored (the
        // sink keys samples by event id)
        run.clear();
        actions.clear();
        seenEvents.clear();
        runsInFlight--;
    }

    /**
     * When the run had ended each eighth of its actions ({@link ResourceProfile#progressOf}), from
     * the ends kept in {@link #actions}; null when it never started or none has a known end.
     */
    private long[] progress(RunState r) throws Exception {
        if (!r.started()) {
            return null;
        }
        long[] ends = new long[r.actions];
        int n = 0;
        for (long v : actions.values()) {
            if (ended(v) && v >= ENDED_AT && n < ends.length) {
                ends[n++] = Math.max(0, v - ENDED_AT - r.startMillis);
            }
        }
        return n == 0 ? null : ResourceProfile.progressOf(Arrays.copyOf(ends, n));
    }

    /** The Flink key of a run's events: its {@link RunKey}'s encoding. */
    public static String runKey(WorkflowEvent e) {
        return e.runKey().encoded();
    }

    /**
     * Each attempt of an action is timed on its own: a retry keeps the action id and raises the
     * attempt.
     */
    private static String attemptKey(WorkflowEvent e) {
        return e.attemptKey().encoded();
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static double orZero(Double v) {
        return v == null ? 0 : v;
    }
}
