package dev.foreshadow.jobs.shadow.anomalies;

import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.jobs.common.JobMetrics;
import dev.foreshadow.jobs.common.StateCodecs;
import dev.foreshadow.models.anomaly.TokenBucket;
import dev.foreshadow.models.domain.AnomalyKind;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps alerting humane: at most {@code burst} alerts at once and {@code perMinute} a minute per
 * tenant go on to the anomalies topic (and webhook). Alerts over the limit are not lost: every
 * anomaly is stored in the anomalies table before this step; they are counted in the {@code
 * alertsSuppressed} metric. In: anomalies keyed by tenant.
 */
public final class RateLimitAlerts extends KeyedProcessFunction<String, Anomaly, Anomaly> {

    private static final long serialVersionUID = 1L;

    private final double perMinute;
    private final int burst;

    /**
     * The tenant's token bucket (processing time: alerts are for people now); cleared once it is
     * full again, when it is the same as a new one.
     */
    private transient ValueState<TokenBucket> bucket;

    private transient Counter suppressed;

    /** Every anomaly found, by kind (all of them, alerted or not). */
    private transient JobMetrics.Labelled found;

    public RateLimitAlerts(double perMinute, int burst) {
        this.perMinute = perMinute;
        this.burst = burst;
    }

    @Override
    public void open(OpenContext openContext) {
        bucket =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "alert-bucket", StateCodecs.tokenBuckets()));
        suppressed = getRuntimeContext().getMetricGroup().counter("alertsSuppressed");
        found =
                new JobMetrics.Labelled(
                        getRuntimeContext().getMetricGroup(),
                        JobMetrics.ANOMALIES,
                        JobMetrics.KIND);
        for (AnomalyKind kind : AnomalyKind.values()) {
            found.register(kind.wireName());
        }
    }

    @Override
    public void processElement(Anomaly a, Context ctx, Collector<Anomaly> out) throws Exception {
        found.inc(a.kind());
        TokenBucket b = bucket.value();
        if (b == null) {
            b = new TokenBucket(burst, perMinute / 60.0);
        }
        long now = ctx.timerService().currentProcessingTime();
        if (b.tryAcquire(now)) {
            out.collect(a);
        } else {
            suppressed.inc();
        }
        bucket.update(b);
        ctx.timerService().registerProcessingTimeTimer(b.fullAtMs());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out)
            throws Exception {
        TokenBucket b = bucket.value();
        if (b != null && b.fullAtMs() <= timestamp) {
            bucket.clear(); // full again: a tenant that alerts next gets a new, full bucket
        }
    }
}
