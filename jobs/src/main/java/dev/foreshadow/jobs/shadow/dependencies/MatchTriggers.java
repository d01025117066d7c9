package dev.foreshadow.jobs.shadow.dependencies;

import dev.foreshadow.connectors.records.RunSummary;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins each run to the runs it triggered: keyed by run ({@link RunLink#runKey}), it receives the
 * run's own summary and the summaries of the runs that name it in {@code triggeredBy}, in any
 * order. Out: one {@link TriggerObservation#parentRun} per run (when its own summary comes) and one
 * trigger per child whose parent's summary is known (the child's type and both start times). A
 * child whose parent never reports is held for {@code holdFor} of event time, then dropped with the
 * rest of the key's state.
 */
public final class MatchTriggers extends KeyedProcessFunction<String, RunLink, TriggerObservation> {

    private static final long serialVersionUID = 1L;

    static final String PARENT_TYPE_STATE = "parent-type";
    static final String PARENT_START_STATE = "parent-start";
    static final String WAITING_STATE = "waiting-children";
    static final String CLEANUP_STATE = "cleanup-at";

    private final long holdMs;

    /** The run's workflow type, once its own summary came. */
    private transient ValueState<String> parentType;

    /** The run's start (epoch ms), once its own summary came. */
    private transient ValueState<Long> parentStart;

    /** Children that came before the run's own summary: type and start, parent fields empty. */
    private transient ListState<TriggerObservation> waiting;

    /** The event time at which the key's state goes (its one timer). */
    private transient ValueState<Long> cleanupAt;

    /**
     * @param holdFor event time the key is kept after its latest summary: how late a child's or the
     *     parent's summary may come and still be matched
     */
    public MatchTriggers(Duration holdFor) {
        this.holdMs = holdFor.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        parentType =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(PARENT_TYPE_STATE, Types.STRING));
        parentStart =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(PARENT_START_STATE, Types.LONG));
        waiting =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        WAITING_STATE,
                                        TypeInformation.of(TriggerObservation.class)));
        cleanupAt =
                getRuntimeContext().getState(new ValueStateDescriptor<>(CLEANUP_STATE, Types.LONG));
    }

    @Override
    public void processElement(RunLink link, Context ctx, Collector<TriggerObservation> out)
            throws Exception {
        RunSummary r = link.run();
        long start = r.startTime().toEpochMilli();
        if (link.asParent()) {
            if (parentType.value() != null) {
                return; // a replayed summary of the run: counted once
            }
            parentType.update(r.workflowType());
            parentStart.update(start);
            out.collect(TriggerObservation.parentRun(r.tenant(), r.workflowType(), start));
            for (TriggerObservation child : waiting.get()) {
                out.collect(trigger(r.tenant(), child.childType(), child.childStartMs()));
            }
            waiting.clear();
        } else if (parentType.value() != null) {
            out.collect(trigger(r.tenant(), r.workflowType(), start));
        } else {
            waiting.add(new TriggerObservation(r.tenant(), "", 0, r.workflowType(), start));
        }
        long at = ctx.timestamp() == null ? r.endTime().toEpochMilli() : ctx.timestamp();
        Long previous = cleanupAt.value();
        if (previous == null || at + holdMs > previous) {
            if (previous != null) {
                ctx.timerService().deleteEventTimeTimer(previous);
            }
            cleanupAt.update(at + holdMs);
            ctx.timerService().registerEventTimeTimer(at + holdMs);
        }
    }

    private TriggerObservation trigger(String tenant, String childType, long childStart)
            throws Exception {
        return new TriggerObservation(
                tenant, parentType.value(), parentStart.value(), childType, childStart);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TriggerObservation> out) {
        parentType.clear();
        parentStart.clear();
        waiting.clear();
        cleanupAt.clear();
    }
}
