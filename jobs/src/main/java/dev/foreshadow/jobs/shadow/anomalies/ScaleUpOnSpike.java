package dev.foreshadow.jobs.shadow.anomalies;

import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.jobs.common.JobMetrics;
import dev.foreshadow.models.domain.AllocationReason;
import dev.foreshadow.models.domain.AnomalyKind;
import dev.foreshadow.models.domain.Metric;
import dev.foreshadow.models.domain.PoolId;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The corrective rule for resource spikes: a sustained spike of a resource metric (cores, CPU time,
 * memory, network) of a workflow type becomes an {@link AllocationCommand} with reason {@code
 * anomaly} for the type's pool ({@link PoolId#defaultFor}): scale up now, by what the spike shows
 * is missing (cores, memory) plus {@code instances}, valid for {@code expiry}.
 */
public final class ScaleUpOnSpike extends RichFlatMapFunction<Anomaly, AllocationCommand> {

    private static final long serialVersionUID = 1L;

    private final int instances;
    private final Duration expiry;

    /** Commands issued, by reason ({@code anomaly}); null outside a Flink task. */
    private transient JobMetrics.Labelled issued;

    public ScaleUpOnSpike(int instances, Duration expiry) {
        this.instances = instances;
        this.expiry = expiry;
    }

    @Override
    public void open(OpenContext openContext) {
        issued =
                new JobMetrics.Labelled(
                                getRuntimeContext().getMetricGroup(),
                                JobMetrics.ALLOCATION_COMMANDS_ISSUED,
                                JobMetrics.REASON)
                        .register(AllocationReason.ANOMALY.wireName());
    }

    @Override
    public void flatMap(Anomaly spike, Collector<AllocationCommand> out) {
        if (!AnomalyKind.SUSTAINED_SPIKE.wireName().equals(spike.kind())
                || spike.metric() == null
                || !Metric.ofWireName(spike.metric()).isResource()
                || !(spike.observed() > spike.expected())) {
            return; // a sustained drop (anomaly.direction below or both) needs no capacity
        }
        Metric metric = Metric.ofWireName(spike.metric());
        double excess = spike.observed() - spike.expected();
        double cores = metric == Metric.PEAK_CORES ? Math.ceil(excess) : 0;
        long memory = metric == Metric.PEAK_MEMORY_BYTES ? (long) Math.ceil(excess) : 0;
        long network =
                metric == Metric.NETWORK_IN_BYTES || metric == Metric.NETWORK_OUT_BYTES
                        ? (long) Math.ceil(excess)
                        : 0;
        if (issued != null) {
            issued.inc(AllocationReason.ANOMALY.wireName());
        }
        out.collect(
                new AllocationCommand(
                        "anomaly:" + spike.anomalyId(),
                        PoolId.defaultFor(spike.workloadKey()).name(),
                        cores,
                        memory,
                        network,
                        instances,
                        spike.time(),
                        spike.time().plus(expiry),
                        List.of(),
                        Double.NaN,
                        AllocationReason.ANOMALY.wireName(),
                        spike.time(),
                        false));
    }
}
