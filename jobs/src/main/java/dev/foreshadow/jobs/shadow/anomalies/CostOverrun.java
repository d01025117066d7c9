package dev.foreshadow.jobs.shadow.anomalies;

import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.jobs.common.EventTimeOrder;
import dev.foreshadow.jobs.common.SilentKeys;
import dev.foreshadow.jobs.common.StateCodecs;
import dev.foreshadow.models.domain.AnomalyKind;
import dev.foreshadow.models.domain.Metric;
import dev.foreshadow.models.stats.Reservoir;
import java.io.Serializable;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Flags a completed run that cost more than the p99 of its (tenant, workflow type)'s completed runs
 * so far ({@code cost-overrun}; observed: its cost, expected: the p99). A type needs {@code
 * minHistory} runs first. In: {@link RunSummary}s keyed by {@link #key}, taken in the order of
 * their end times once the watermark passes them (those of one time by run id), so each run is
 * judged against the runs that ended before it, however many channels feed the operator.
 */
public final class CostOverrun extends KeyedProcessFunction<String, RunSummary, Anomaly> {

    private static final long serialVersionUID = 1L;

    private final int minHistory;

    /** Forgets a workflow type silent for the history retention. */
    private final SilentKeys silentKeys;

    /** Costs of the type's completed runs: the p99 baseline, kept while the type runs. */
    private transient ValueState<Reservoir> costs;

    /** Summaries waiting for the watermark. */
    private final EventTimeOrder<RunSummary> pending =
            new EventTimeOrder<>(
                    "pending",
                    TypeInformation.of(RunSummary.class),
                    (Comparator<RunSummary> & Serializable)
                            (x, y) -> x.runId().compareTo(y.runId()));

    /**
     * @param minHistory completed runs a type needs before its costs are judged
     * @param forgetAfter event time without a run after which a type's state is dropped
     */
    public CostOverrun(int minHistory, Duration forgetAfter) {
        this.minHistory = minHistory;
        this.silentKeys = new SilentKeys(forgetAfter);
    }

    /** The Flink key: the workflow type's {@code WorkloadKey}, encoded. */
    public static String key(RunSummary r) {
        return r.typeKey().encoded();
    }

    @Override
    public void open(OpenContext openContext) {
        costs =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>("run-costs", StateCodecs.reservoirs()));
        silentKeys.open(getRuntimeContext());
        pending.open(getRuntimeContext());
    }

    @Override
    public void processElement(RunSummary r, Context ctx, Collector<Anomaly> out) throws Exception {
        // the time the shadow summarized the run (its end plus the grace), not the end itself:
        // a summary is emitted once the watermark has passed its end, so by its end it is late
        long t = ctx.timestamp() != null ? ctx.timestamp() : r.endTime().toEpochMilli();
        silentKeys.touch(r.endTime().toEpochMilli(), ctx.timerService());
        if (!pending.offer(r, t, ctx.timerService())) {
            judge(r, out); // late: nothing left to order it with
        }
    }

    private void judge(RunSummary r, Collector<Anomaly> out) throws Exception {
        if (!RunSummary.COMPLETED.equals(r.status())) {
            return;
        }
        Reservoir history = costs.value();
        if (history == null) {
            history = new Reservoir(2048, 0xc057);
        }
        if (history.count() >= minHistory) {
            double p99 = history.quantile(0.99);
            if (r.cost() > p99) {
                out.collect(
                        new Anomaly(
                                AnomalyKind.COST_OVERRUN.wireName() + ":" + r.runId(),
                                AnomalyKind.COST_OVERRUN.wireName(),
                                r.endTime(),
                                r.tenant(),
                                r.workflowType(),
                                r.runId(),
                                null,
                                null,
                                Metric.COST.wireName(),
                                r.cost(),
                                p99,
                                Math.min(1, 0.5 + (r.cost() - p99) / (2 * Math.max(p99, 1e-12))),
                                Map.of(
                                        "currency",
                                        r.currency(),
                                        "historyRuns",
                                        Long.toString(history.count()))));
            }
        }
        history.add(r.cost());
        costs.update(history);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out)
            throws Exception {
        if (silentKeys.expired(timestamp)) {
            costs.clear(); // no run of the type for the retention: its cost baseline goes
            pending.clear();
            return;
        }
        for (RunSummary r : pending.due(timestamp)) {
            judge(r, out);
        }
    }
}
