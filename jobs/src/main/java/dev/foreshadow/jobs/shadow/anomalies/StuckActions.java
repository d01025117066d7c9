package dev.foreshadow.jobs.shadow.anomalies;

import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.common.EventTimeOrder;
import dev.foreshadow.jobs.common.SilentKeys;
import dev.foreshadow.jobs.common.StateCodecs;
import dev.foreshadow.models.domain.AnomalyKind;
import dev.foreshadow.models.domain.Metric;
import dev.foreshadow.models.stats.Reservoir;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Flags an action that is still running {@code factor} times past the p99 duration of its (tenant,
 * workflow type, action type), before it finishes, with an event-time timer per running action.
 *
 * <p>In: action events (started, finished, failed) keyed by {@link #key}. Out: a {@code
 * stuck-action} {@link Anomaly} (observed: running time so far, expected: the p99) at most once per
 * attempt. A type needs {@code minHistory} finished actions before it is judged. Events are taken
 * in event time once the watermark passes them (those of one time by event id), so an action is
 * flagged exactly when it was still running at its deadline, against the baseline of the actions
 * that had finished by its start, however the source's watermarks fall between its records and
 * however many channels feed the operator.
 */
public final class StuckActions extends KeyedProcessFunction<String, WorkflowEvent, Anomaly> {

    private static final long serialVersionUID = 1L;

    /**
     * Actions whose end never arrives are forgotten after this; by then they have long been
     * flagged.
     */
    static final Duration RUNNING_TTL = Duration.ofDays(7);

    private final double factor;
    private final int minHistory;

    /** Forgets an action type silent for the history retention. */
    private final SilentKeys silentKeys;

    /** Durations (ms) of finished actions of this type: the p99 baseline, kept while it runs. */
    private transient ValueState<Reservoir> durations;

    /**
     * Running attempt ({@code AttemptKey#encodedInRun}) -> the started event, for the anomaly's
     * context and its start time.
     */
    private transient MapState<String, WorkflowEvent> running;

    /**
     * Running attempt -> event time of its stuck timer (absent once flagged, or when no baseline
     * existed).
     */
    private transient MapState<String, Long> deadlines;

    /**
     * No deadline in {@link #deadlines} is earlier than this ({@link Long#MAX_VALUE}: none is
     * there; absent: not known, as in a savepoint from before it was kept): a timer before it has
     * no deadline to look for.
     */
    private transient ValueState<Long> earliestDeadline;

    /** Events waiting for the watermark. */
    private final EventTimeOrder<WorkflowEvent> pending =
            Anomalies.eventsInEventTimeOrder("pending");

    /**
     * @param factor how many p99 durations an action may run before it is flagged
     * @param minHistory finished actions a type needs before it is judged
     * @param forgetAfter event time without an event after which a type's state is dropped
     */
    public StuckActions(double factor, int minHistory, Duration forgetAfter) {
        this.factor = factor;
        this.minHistory = minHistory;
        this.silentKeys = new SilentKeys(forgetAfter);
    }

    /** The Flink key: the action type's {@code WorkloadKey}, encoded. */
    public static String key(WorkflowEvent e) {
        return e.workloadKey().encoded();
    }

    @Override
    public void open(OpenContext openContext) {
        // no incremental cleanup (the heap backend's default): it ran at every access of the state
        // and copied every running action of each key it visited, a fifth of this operator's time
        // under `bench pipeline`; an expired stray is dropped from every snapshot instead, and by
        // RocksDB's compaction on a cluster
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(RUNNING_TTL)
                        .disableCleanupInBackground()
                        .cleanupFullSnapshot()
                        .cleanupInRocksdbCompactFilter(1000)
                        .build();
        durations =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>("durations", StateCodecs.reservoirs()));
        MapStateDescriptor<String, WorkflowEvent> runningDescriptor =
                new MapStateDescriptor<>(
                        "running", Types.STRING, TypeInformation.of(WorkflowEvent.class));
        runningDescriptor.enableTimeToLive(ttl);
        running = getRuntimeContext().getMapState(runningDescriptor);
        MapStateDescriptor<String, Long> deadlineDescriptor =
                new MapStateDescriptor<>("deadlines", Types.STRING, Types.LONG);
        deadlineDescriptor.enableTimeToLive(ttl);
        deadlines = getRuntimeContext().getMapState(deadlineDescriptor);
        earliestDeadline =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("earliest-deadline", Types.LONG));
        silentKeys.open(getRuntimeContext());
        pending.open(getRuntimeContext());
    }

    @Override
    public void processElement(WorkflowEvent e, Context ctx, Collector<Anomaly> out)
            throws Exception {
        long t = e.time().toEpochMilli();
        silentKeys.touch(t, ctx.timerService());
        if (!pending.offer(e, t, ctx.timerService())) {
            take(e, ctx.timerService()); // late: nothing left to order it with
        }
    }

    private void take(WorkflowEvent e, TimerService timers) throws Exception {
        String attempt = e.attemptKey().encodedInRun(e.runId());
        Reservoir history = durations.value();
        if (e.type() == EventType.ACTION_STARTED) {
            if (running.contains(attempt)) {
                return; // duplicate
            }
            running.put(attempt, e);
            if (history != null && history.count() >= minHistory) {
                long deadline =
                        e.time().toEpochMilli()
                                + Math.round(factor * Math.max(1, history.quantile(0.99)));
                deadlines.put(attempt, deadline);
                Long earliest = earliestDeadline.value();
                if (earliest != null && deadline < earliest) {
                    earliestDeadline.update(deadline);
                }
                timers.registerEventTimeTimer(deadline);
            }
            return;
        }
        WorkflowEvent started = running.get(attempt);
        // its deadline's timer stays: a timer of a key is one per time, and the events waiting
        // for the watermark at that time, or another action's deadline, may share it (deleting it
        // lost them, and which ones depended on how the watermark fell); it fires and finds
        // nothing due for this action
        running.remove(attempt);
        deadlines.remove(attempt);
        Long reported = e.metrics().durationMs();
        long duration =
                reported != null
                        ? reported
                        : started != null
                                ? Math.max(
                                        0, e.time().toEpochMilli() - started.time().toEpochMilli())
                                : -1;
        if (duration >= 0 && e.type() == EventType.ACTION_FINISHED) {
            if (history == null) {
                history = new Reservoir(2048, 0x57c4);
            }
            history.add(duration);
            durations.update(history);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out)
            throws Exception {
        if (silentKeys.expired(timestamp)) {
            // the action type has not run for the retention: its baseline and strays go
            durations.clear();
            running.clear();
            deadlines.clear();
            earliestDeadline.clear();
            pending.clear();
            return;
        }
        // the events of this time first: an action that ends at its deadline was not stuck
        for (WorkflowEvent e : pending.due(timestamp)) {
            take(e, ctx.timerService());
        }
        Long earliest = earliestDeadline.value();
        if (earliest != null && earliest > timestamp) {
            return; // a timer of events only: no action's deadline has come
        }
        List<String> due = new ArrayList<>();
        long later = Long.MAX_VALUE;
        for (Map.Entry<String, Long> d : deadlines.entries()) {
            if (d.getValue() <= timestamp) {
                due.add(d.getKey());
            } else {
                later = Math.min(later, d.getValue());
            }
        }
        earliestDeadline.update(later);
        Reservoir history = durations.value();
        double p99 = history == null ? Double.NaN : history.quantile(0.99);
        for (String attempt : due) {
            deadlines.remove(attempt); // flagged once; the end still updates the baseline
            WorkflowEvent started = running.get(attempt);
            if (started == null) {
                continue;
            }
            long runningMs = timestamp - started.time().toEpochMilli();
            out.collect(
                    Anomalies.ofEvent(
                            AnomalyKind.STUCK_ACTION,
                            started,
                            Instant.ofEpochMilli(timestamp),
                            Metric.DURATION_MS,
                            runningMs,
                            p99,
                            Math.min(1, runningMs / (factor * p99 * 2)),
                            Map.of(
                                    "startedAt",
                                    started.time().toString(),
                                    "p99Ms",
                                    Long.toString(Math.round(p99)),
                                    "factor",
                                    Double.toString(factor))));
        }
    }
}
