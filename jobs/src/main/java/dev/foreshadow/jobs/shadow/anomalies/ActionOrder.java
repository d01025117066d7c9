package dev.foreshadow.jobs.shadow.anomalies;

import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.common.EventTimeOrder;
import dev.foreshadow.jobs.common.SilentKeys;
import dev.foreshadow.models.domain.AnomalyKind;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Finds actions that start out of their usual order: when action type B starts in a run and some
 * action type A has started before B in every earlier run of the workflow type (at least {@code
 * minHistory} of them), but not in this run, B's start is an {@code unexpected-order} {@link
 * Anomaly}.
 *
 * <p>In: ACTION_STARTED (first attempts) and WORKFLOW_FINISHED events keyed by (tenant, workflow
 * type). The learned relation is, per action type, the intersection of the action types seen before
 * its first start in each run. Events are taken in event-time order (they wait for the watermark):
 * what was learned before a start, and so which run is judged out of order, must not depend on how
 * the channels feeding the operator interleaved, which changes with parallelism and restarts.
 */
public final class ActionOrder extends KeyedProcessFunction<String, WorkflowEvent, Anomaly> {

    private static final long serialVersionUID = 1L;

    /** A run that never reports WORKFLOW_FINISHED is forgotten after this. */
    static final Duration RUN_TTL = Duration.ofDays(2);

    private final int minHistory;

    /** Forgets a workflow type silent for the history retention. */
    private final SilentKeys silentKeys;

    /**
     * Run id -> action types started so far in it (sorted, comma-separated); removed when the run
     * finishes.
     */
    private transient MapState<String, String> seenInRun;

    /**
     * Action type -> the action types that preceded its first start in every run so far: the
     * baseline, kept while the type runs.
     */
    private transient MapState<String, String> precededBy;

    /** Action type -> how many runs it started in: the baseline, kept while the type runs. */
    private transient MapState<String, Integer> runsWith;

    /** Events waiting for the watermark; of one time, by event id. */
    private final EventTimeOrder<WorkflowEvent> pending =
            Anomalies.eventsInEventTimeOrder("pending");

    /**
     * @param minHistory runs an action type needs before its order is judged
     * @param forgetAfter event time without an event after which a type's state is dropped
     */
    public ActionOrder(int minHistory, Duration forgetAfter) {
        this.minHistory = minHistory;
        this.silentKeys = new SilentKeys(forgetAfter);
    }

    /** Whether the order learned from runs needs {@code e}: first starts and ends of runs. */
    public static boolean concerns(WorkflowEvent e) {
        return e.type() == EventType.WORKFLOW_FINISHED
                || e.type() == EventType.ACTION_STARTED
                        && (e.attempt() == null || e.attempt() <= 1);
    }

    /** The Flink key: the workflow type's {@code WorkloadKey}, encoded. */
    public static String key(WorkflowEvent e) {
        return e.typeKey().encoded();
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<String, String> seen =
                new MapStateDescriptor<>("seen-in-run", Types.STRING, Types.STRING);
        seen.enableTimeToLive(StateTtlConfig.newBuilder(RUN_TTL).build());
        seenInRun = getRuntimeContext().getMapState(seen);
        precededBy =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "preceded-by", Types.STRING, Types.STRING));
        runsWith =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("runs-with", Types.STRING, Types.INT));
        silentKeys.open(getRuntimeContext());
        pending.open(getRuntimeContext());
    }

    @Override
    public void processElement(WorkflowEvent e, Context ctx, Collector<Anomaly> out)
            throws Exception {
        long t = e.time().toEpochMilli();
        silentKeys.touch(t, ctx.timerService());
        if (!pending.offer(e, t, ctx.timerService())) {
            take(e, out); // late: nothing left to order it with
        }
    }

    private void take(WorkflowEvent e, Collector<Anomaly> out) throws Exception {
        if (e.type() == EventType.WORKFLOW_FINISHED) {
            seenInRun.remove(e.runId()); // the run is over: its order no longer matters
            return;
        }
        if (e.type() != EventType.ACTION_STARTED || (e.attempt() != null && e.attempt() > 1)) {
            return;
        }
        Set<String> seen = set(seenInRun.get(e.runId()));
        String b = e.actionType();
        if (seen.contains(b)) {
            return; // only the first start of an action type in a run says something about order
        }
        Integer runs = runsWith.get(b);
        Set<String> before = set(precededBy.get(b));
        if (runs != null && runs >= minHistory) {
            Set<String> missing = new TreeSet<>(before);
            missing.removeAll(seen);
            if (!missing.isEmpty()) {
                out.collect(
                        Anomalies.ofEvent(
                                AnomalyKind.UNEXPECTED_ORDER,
                                e,
                                e.time(),
                                null,
                                missing.size(),
                                0,
                                1.0,
                                Map.of(
                                        "missingBefore",
                                        String.join(",", missing),
                                        "historyRuns",
                                        Integer.toString(runs))));
            }
        }
        if (runs == null) {
            before = seen;
        } else {
            before.retainAll(seen);
        }
        precededBy.put(b, String.join(",", before));
        runsWith.put(b, runs == null ? 1 : runs + 1);
        seen.add(b);
        seenInRun.put(e.runId(), String.join(",", seen));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out)
            throws Exception {
        if (silentKeys.expired(timestamp)) {
            // the workflow type has not run for the retention: its learned order goes
            seenInRun.clear();
            precededBy.clear();
            runsWith.clear();
            pending.clear();
            return;
        }
        for (WorkflowEvent e : pending.due(timestamp)) {
            take(e, out);
        }
    }

    /** Action types are joined by ',' in state: the decoder rejects an action type holding one. */
    private static Set<String> set(String joined) {
        return joined == null || joined.isEmpty()
                ? new TreeSet<>()
                : new TreeSet<>(Arrays.asList(joined.split(",")));
    }
}
