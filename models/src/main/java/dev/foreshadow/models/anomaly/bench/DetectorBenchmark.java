package dev.foreshadow.models.anomaly.bench;

import dev.foreshadow.models.anomaly.ActionScorer;
import dev.foreshadow.models.anomaly.StreamDetector;
import dev.foreshadow.models.anomaly.flowbench.FlowBench;
import dev.foreshadow.models.anomaly.nab.NabCorpus;
import dev.foreshadow.models.anomaly.nab.NabFile;
import dev.foreshadow.models.domain.Metric;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * What the detector costs: time per scored metric value and state per stream. Input: real workloads
 * (FlowBench tasks, NAB streams); output: one {@link Result} per path and configuration.
 *
 * <p>The job's path is timed as ShadowJob's {@code ScoreSamples} runs it, per metric value: read
 * the detector from its snapshot, score the value ({@link ActionScorer}), write the snapshot back;
 * over FlowBench's tasks in the order {@code eval workflow-anomalies} replays them, one detector
 * per (workflow type, action type, metric). The metric-stream path runs {@link StreamDetector} over
 * every NAB row as {@code eval anomalies} does, without snapshots. State is the snapshot size
 * ({@link StreamDetector#toBytes()}) at the end, averaged over the detectors. Each configuration is
 * timed in alternating rounds and the fastest round is reported (the machine is shared: compare
 * configurations within one run).
 */
public final class DetectorBenchmark {

    private DetectorBenchmark() {}

    /**
     * @param path what was timed
     * @param values metric values scored
     * @param nanos time of the fastest round
     * @param keys detectors (streams) at the end
     * @param stateBytes their snapshots' total size
     */
    public record Result(String path, long values, long nanos, int keys, long stateBytes) {
        public double microsPerValue() {
            return nanos / 1e3 / values;
        }

        public double bytesPerKey() {
            return (double) stateBytes / keys;
        }
    }

    /**
     * The job's per-value path over {@code tasks} with detectors of {@code config}, fastest of
     * {@code rounds}; {@code progress} receives the values scored.
     */
    public static Result jobPath(
            String name,
            List<FlowBench.Task> tasks,
            StreamDetector.Config config,
            int rounds,
            IntConsumer progress) {
        List<FlowBench.Task> ordered = new ArrayList<>(tasks);
        ordered.sort(
                Comparator.comparing(FlowBench.Task::workflowType)
                        .thenComparingLong(FlowBench.Task::endMs));
        long best = Long.MAX_VALUE;
        long values = 0;
        Map<String, byte[]> state = null;
        for (int round = 0; round < rounds; round++) {
            state = new HashMap<>();
            values = 0;
            long began = System.nanoTime();
            for (FlowBench.Task t : ordered) {
                for (int m = 0; m < FlowBench.METRICS.size(); m++) {
                    double v = t.metrics()[m];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    Metric metric = FlowBench.METRICS.get(m);
                    String key = t.workflowType() + "|" + t.actionType() + "|" + metric.wireName();
                    byte[] snapshot = state.get(key);
                    StreamDetector d =
                            snapshot == null
                                    ? new StreamDetector(config)
                                    : StreamDetector.fromBytes(snapshot);
                    ActionScorer.score(d, metric, v, t.endMs(), ActionScorer.AlertRule.DEFAULT);
                    state.put(key, d.toBytes());
                    values++;
                }
                progress.accept(1);
            }
            best = Math.min(best, System.nanoTime() - began);
        }
        long bytes = state.values().stream().mapToLong(b -> b.length).sum();
        return new Result(name, values, best, state.size(), bytes);
    }

    /** The metric-stream detector of {@code config} over every row of {@code corpus}. */
    public static Result metricStreams(
            String name,
            NabCorpus corpus,
            StreamDetector.Config config,
            int rounds,
            IntConsumer progress) {
        long best = Long.MAX_VALUE;
        long values = 0;
        long bytes = 0;
        for (int round = 0; round < rounds; round++) {
            values = 0;
            bytes = 0;
            long nanos = 0;
            for (NabFile f : corpus.files()) {
                long[] times = new long[f.rows()];
                for (int i = 0; i < f.rows(); i++) {
                    times[i] = f.timestamps()[i].toInstant(ZoneOffset.UTC).toEpochMilli();
                }
                StreamDetector d = new StreamDetector(config);
                long began = System.nanoTime();
                for (int i = 0; i < f.rows(); i++) {
                    d.score(times[i], f.values()[i]);
                }
                nanos += System.nanoTime() - began;
                values += f.rows();
                bytes += d.toBytes().length;
                progress.accept(f.rows());
            }
            best = Math.min(best, nanos);
        }
        return new Result(name, values, best, corpus.files().size(), bytes);
    }
}
