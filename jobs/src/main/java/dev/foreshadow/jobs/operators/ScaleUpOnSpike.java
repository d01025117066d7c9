package dev.foreshadow.jobs.operators;

import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.Anomaly;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The corrective rule for resource spikes: a sustained spike of a resource metric (cores, CPU time,
 * memory, network) of a workflow type becomes an {@link AllocationCommand} with reason {@code
 * anomaly} for the type's pool: scale up now, by what the spike shows is missing (cores, memory)
 * plus {@code instances}, valid for {@code expiry}.
 */
public final class ScaleUpOnSpike implements FlatMapFunction<Anomaly, AllocationCommand> {

    private static final long serialVersionUID = 1L;

    static final Set<String> RESOURCE_METRICS =
            Set.of(
                    "peakCores",
                    "cpuSeconds",
                    "peakMemoryBytes",
                    "networkInBytes",
                    "networkOutBytes");

    private final int instances;
    private final Duration expiry;

    public ScaleUpOnSpike(int instances, Duration expiry) {
        this.instances = instances;
        this.expiry = expiry;
    }

    @Override
    public void flatMap(Anomaly spike, Collector<AllocationCommand> out) {
        if (!Anomalies.SUSTAINED_SPIKE.equals(spike.kind())
                || !RESOURCE_METRICS.contains(spike.metric())
                || !(spike.observed() > spike.expected())) {
            return; // a sustained drop (anomaly.direction below or both) needs no capacity
        }
        double excess = spike.observed() - spike.expected();
        double cores = spike.metric().equals("peakCores") ? Math.ceil(excess) : 0;
        long memory = spike.metric().equals("peakMemoryBytes") ? (long) Math.ceil(excess) : 0;
        long network = spike.metric().startsWith("network") ? (long) Math.ceil(excess) : 0;
        out.collect(
                new AllocationCommand(
                        "anomaly:" + spike.anomalyId(),
                        pool(spike),
                        cores,
                        memory,
                        network,
                        instances,
                        spike.time(),
                        spike.time().plus(expiry),
                        List.of(),
                        Double.NaN,
                        "anomaly",
                        spike.time(),
                        false));
    }

    /**
     * The pool that runs a workflow type: one pool per (tenant, workflow type) until pools are
     * configured.
     */
    static String pool(Anomaly a) {
        return a.tenant() + "/" + a.workflowType();
    }
}
