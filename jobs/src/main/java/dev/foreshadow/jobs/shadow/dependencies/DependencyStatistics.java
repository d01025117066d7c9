package dev.foreshadow.jobs.shadow.dependencies;

import dev.foreshadow.connectors.records.WorkflowDependency;
import dev.foreshadow.jobs.common.SilentKeys;
import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * P(child | parent) and the lag distribution per pair of workflow types, from the engine's {@code
 * triggeredBy} (the direct estimate of {@code DependencyStats.fromTriggers} in models, kept
 * online): keyed by parent type, it counts the parent's runs and, per child type, the runs they
 * started by start-to-start lag in bins of {@code binMs} (lags past the last bin count in it). In:
 * {@link TriggerObservation}s keyed by {@link TriggerObservation#key}. Out: at the first {@code
 * publishEvery} boundary of event time after a change, one {@link WorkflowDependency} per child
 * type seen at least {@code minTriggers} times. A parent type silent for {@code forgetAfter} leaves
 * no state.
 */
public final class DependencyStatistics
        extends KeyedProcessFunction<String, TriggerObservation, WorkflowDependency> {

    private static final long serialVersionUID = 1L;

    static final String RUNS_STATE = "parent-runs";
    static final String LAGS_STATE = "lags-by-child";
    static final String PUBLISH_STATE = "publish-at";

    private final long binMs;
    private final int bins;
    private final long publishMs;
    private final int minTriggers;
    private final SilentKeys silentKeys;

    /** Runs of the parent type counted. */
    private transient ValueState<Long> runs;

    /** Per child type, its triggered runs by lag bin. */
    private transient MapState<String, long[]> lags;

    /** The pending publication's time, while a change is unpublished. */
    private transient ValueState<Long> publishAt;

    /**
     * @param lagWindow the longest lag told apart (longer ones count in the last bin)
     * @param binMs the lag bin
     * @param publishEvery the boundary of event time at which a changed estimate is published
     * @param minTriggers triggered runs a pair needs before it is published
     * @param forgetAfter event time without a run after which a parent type's state is dropped
     */
    public DependencyStatistics(
            Duration lagWindow,
            long binMs,
            Duration publishEvery,
            int minTriggers,
            Duration forgetAfter) {
        if (binMs <= 0 || lagWindow.toMillis() < binMs || minTriggers < 1) {
            throw new IllegalArgumentException("needs 0 < bin <= lag window and min triggers >= 1");
        }
        this.binMs = binMs;
        this.bins = (int) (lagWindow.toMillis() / binMs);
        this.publishMs = publishEvery.toMillis();
        this.minTriggers = minTriggers;
        this.silentKeys = new SilentKeys(forgetAfter);
    }

    @Override
    public void open(OpenContext openContext) {
        runs = getRuntimeContext().getState(new ValueStateDescriptor<>(RUNS_STATE, Types.LONG));
        lags =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        LAGS_STATE,
                                        Types.STRING,
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        publishAt =
                getRuntimeContext().getState(new ValueStateDescriptor<>(PUBLISH_STATE, Types.LONG));
        silentKeys.open(getRuntimeContext());
    }

    @Override
    public void processElement(TriggerObservation o, Context ctx, Collector<WorkflowDependency> out)
            throws Exception {
        long now = ctx.timestamp() == null ? o.childStartMs() : ctx.timestamp();
        silentKeys.touch(now, ctx.timerService());
        if (o.isTrigger()) {
            long[] h = lags.get(o.childType());
            if (h == null) {
                h = new long[bins];
            }
            long lag = Math.max(0, o.childStartMs() - o.parentStartMs());
            h[(int) Math.min(bins - 1, lag / binMs)]++;
            lags.put(o.childType(), h);
        } else {
            Long n = runs.value();
            runs.update(n == null ? 1 : n + 1);
        }
        if (publishAt.value() == null) {
            long at = (Math.floorDiv(now, publishMs) + 1) * publishMs;
            publishAt.update(at);
            ctx.timerService().registerEventTimeTimer(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WorkflowDependency> out)
            throws Exception {
        if (silentKeys.expired(timestamp)) {
            Long pending = publishAt.value();
            if (pending != null) {
                ctx.timerService().deleteEventTimeTimer(pending);
            }
            runs.clear();
            lags.clear();
            publishAt.clear();
            return;
        }
        Long at = publishAt.value();
        if (at == null || at != timestamp) {
            return;
        }
        publishAt.clear();
        Long parentRuns = runs.value();
        if (parentRuns == null || parentRuns == 0) {
            return;
        }
        WorkloadKey parent = WorkloadKey.decode(ctx.getCurrentKey());
        for (Map.Entry<String, long[]> e : lags.entries()) {
            long triggered = 0;
            for (long c : e.getValue()) {
                triggered += c;
            }
            if (triggered < minTriggers) {
                continue;
            }
            double[] weights = new double[bins];
            int last = 0;
            for (int i = 0; i < bins; i++) {
                weights[i] = (double) e.getValue()[i] / triggered;
                if (e.getValue()[i] > 0) {
                    last = i;
                }
            }
            out.collect(
                    new WorkflowDependency(
                            Instant.ofEpochMilli(timestamp),
                            parent.tenant(),
                            parent.workflowType(),
                            e.getKey(),
                            Math.min(1, (double) triggered / parentRuns),
                            binMs,
                            Arrays.copyOf(weights, last + 1),
                            parentRuns,
                            triggered));
        }
    }
}
