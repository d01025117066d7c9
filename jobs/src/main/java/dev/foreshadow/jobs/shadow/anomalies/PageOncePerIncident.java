package dev.foreshadow.jobs.shadow.anomalies;

import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.jobs.common.EventTimeOrder;
import dev.foreshadow.jobs.common.SilentKeys;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Pages one alert per incident of a (tenant, workflow type, action type), whichever detectors found
 * it: a slow action is at once a metric anomaly, a sustained spike and a stuck action, and an
 * operator needs to hear of it once. In: every anomaly (all are stored upstream), keyed by its
 * {@code WorkloadKey}. Out: a rise (observed at or above expected: slower, more resources or cost)
 * with no other rise of its key within {@code quiet} of event time before or after it, and a drop
 * with no anomaly of its key at all within {@code quiet}, among those seen so far; the others of
 * the incident are stored, not paged. A rise is never hidden by a drop before it (a task that was
 * fast says nothing of the slowdown after it, as in {@link ScoreSamples}), while the drops a
 * baseline shows once it has learned a slowdown, and when the slowdown ends, fold into it.
 * Anomalies of a whole run (no action type) are keyed by their workflow type. Anomalies are judged
 * in event time once the watermark passes them (simultaneous ones highest score first), so the
 * pages do not depend on how the detectors' streams interleave; one that arrives behind the
 * watermark is judged at once.
 */
public final class PageOncePerIncident extends KeyedProcessFunction<String, Anomaly, Anomaly> {

    private static final long serialVersionUID = 1L;

    static final String LATEST_STATE = "latest-anomaly-time";
    static final String LATEST_BELOW_STATE = "latest-anomaly-below-time";
    static final String PENDING_STATE = "pending";

    private final long quietMs;

    /** Forgets a key without anomalies for the history retention. */
    private final SilentKeys silentKeys;

    /**
     * Event time (ms) of the key's latest anomaly above (or at) its expected value; one long per
     * key that ever had one, cleared with the key ({@link SilentKeys}).
     */
    private transient ValueState<Long> latest;

    /** The same for anomalies below their expected value. */
    private transient ValueState<Long> latestBelow;

    /**
     * Anomalies wait for the watermark and are judged in event time, those of one time highest
     * score first: the union feeding this operator interleaves its inputs differently in every run,
     * and the page must not depend on it.
     */
    private final EventTimeOrder<Anomaly> pending = Anomalies.inEventTimeOrder(PENDING_STATE);

    /**
     * @param quiet event time without an anomaly of a key that ends its incident for paging ({@code
     *     anomaly.page-quiet})
     * @param forgetAfter event time without an anomaly after which a key's state is dropped
     */
    public PageOncePerIncident(Duration quiet, Duration forgetAfter) {
        this.quietMs = quiet.toMillis();
        this.silentKeys = new SilentKeys(forgetAfter);
    }

    @Override
    public void open(OpenContext openContext) {
        latest = getRuntimeContext().getState(new ValueStateDescriptor<>(LATEST_STATE, Types.LONG));
        latestBelow =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(LATEST_BELOW_STATE, Types.LONG));
        silentKeys.open(getRuntimeContext());
        pending.open(getRuntimeContext());
    }

    @Override
    public void processElement(Anomaly a, Context ctx, Collector<Anomaly> out) throws Exception {
        long t = a.time().toEpochMilli();
        silentKeys.touch(t, ctx.timerService());
        if (!pending.offer(a, t, ctx.timerService())) {
            page(a, t, out);
        }
    }

    private void page(Anomaly a, long t, Collector<Anomaly> out) throws Exception {
        boolean drop = a.observed() < a.expected();
        Long rise = latest.value();
        Long fall = latestBelow.value();
        if (quiet(rise, t) && (!drop || quiet(fall, t))) {
            out.collect(a);
        }
        ValueState<Long> side = drop ? latestBelow : latest;
        Long last = drop ? fall : rise;
        side.update(last == null ? t : Math.max(last, t));
    }

    private boolean quiet(Long last, long t) {
        return last == null || Math.abs(t - last) >= quietMs;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out)
            throws Exception {
        if (silentKeys.expired(timestamp)) {
            latest.clear();
            latestBelow.clear();
            pending.clear();
            return;
        }
        for (Anomaly a : pending.due(timestamp)) {
            page(a, timestamp, out);
        }
    }

    /** The key an anomaly is paged by: its {@code WorkloadKey}, encoded. */
    public static String key(Anomaly a) {
        return a.workloadKey().encoded();
    }
}
