package dev.foreshadow.jobs.bench;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * How far the Kafka sources of the jobs on a MiniCluster in this JVM have read, live: a metric
 * reporter that keeps each source partition's {@code currentOffset} gauge (the offset of the last
 * record its reader fetched). The benchmarks wait on it instead of on committed offsets, which move
 * only at a checkpoint, so the jobs run at the cluster's checkpoint interval rather than at one
 * short enough to time them. Registered with {@link #configure}; not for a cluster.
 */
public final class SourceOffsets implements MetricReporter {

    /** Key: job id, topic, partition. */
    private static final Map<String, Gauge<?>> CURRENT = new ConcurrentHashMap<>();

    /** The configuration that registers this reporter on a local cluster. */
    static Map<String, String> configure() {
        return Map.of(
                "metrics.reporter.bench-source-offsets.factory.class", Factory.class.getName());
    }

    /**
     * Whether the sources of {@code job} have fetched, on every partition of {@code topic} with
     * records, the last one ({@code ends}: per partition, the offset after its last record).
     */
    static boolean fetchedTo(JobID job, String topic, Map<Integer, Long> ends) {
        for (Map.Entry<Integer, Long> e : ends.entrySet()) {
            if (e.getValue() == 0) {
                continue;
            }
            Gauge<?> g = CURRENT.get(key(job.toHexString(), topic, e.getKey().toString()));
            if (g == null
                    || !(g.getValue() instanceof Number n)
                    || n.longValue() < e.getValue() - 1) {
                return false;
            }
        }
        return true;
    }

    private static String key(String job, String topic, String partition) {
        return job + "/" + topic + "/" + partition;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (!name.equals("currentOffset") || !(metric instanceof Gauge<?> gauge)) {
            return;
        }
        Map<String, String> v = group.getAllVariables();
        if (v.containsKey("<job_id>") && v.containsKey("<topic>") && v.containsKey("<partition>")) {
            CURRENT.put(key(v.get("<job_id>"), v.get("<topic>"), v.get("<partition>")), gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        CURRENT.values().remove(metric);
    }

    /** What Flink instantiates from {@link #configure}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new SourceOffsets();
        }
    }
}
