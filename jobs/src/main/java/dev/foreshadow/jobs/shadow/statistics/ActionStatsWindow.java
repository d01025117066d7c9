package dev.foreshadow.jobs.shadow.statistics;

import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.ActionStats;
import dev.foreshadow.jobs.operators.ActionStatsAccumulator;
import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per-minute statistics of one (tenant, workflow type, action type): counts, failures, mean/p50/p95
 * duration and the sums of CPU, memory-time, bytes and cost. In: {@link ActionSample}s keyed by
 * {@link #key}; out: one {@link ActionStats} per window with samples, stamped with the window
 * start.
 */
public final class ActionStatsWindow {

    private ActionStatsWindow() {}

    /** The Flink key: the sample's {@link WorkloadKey}, encoded. */
    public static String key(ActionSample s) {
        return s.workloadKey().encoded();
    }

    /**
     * Per-minute statistics of {@code samples} keyed by {@link #key}; samples later than the
     * watermark go to {@code late}.
     */
    public static SingleOutputStreamOperator<ActionStats> perMinute(
            DataStream<ActionSample> samples, OutputTag<ActionSample> late) {
        return samples.keyBy(ActionStatsWindow::key)
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .sideOutputLateData(late)
                .aggregate(
                        new Sums(),
                        new Emit(),
                        ActionStatsAccumulator.TYPE,
                        ActionStatsAccumulator.TYPE,
                        TypeInformation.of(ActionStats.class));
    }

    /** Adds samples into an {@link ActionStatsAccumulator}. */
    public static final class Sums
            implements AggregateFunction<
                    ActionSample, ActionStatsAccumulator, ActionStatsAccumulator> {
        private static final long serialVersionUID = 1L;

        @Override
        public ActionStatsAccumulator createAccumulator() {
            return new ActionStatsAccumulator();
        }

        @Override
        public ActionStatsAccumulator add(ActionSample s, ActionStatsAccumulator a) {
            a.count++;
            a.failures += s.failed() ? 1 : 0;
            a.durationSumMs += s.durationMs();
            a.durations.add(s.durationMs());
            a.cpuSeconds += s.cpuSeconds();
            a.memoryGibSeconds += s.memoryGibSeconds();
            a.networkInBytes += s.networkInBytes();
            a.networkOutBytes += s.networkOutBytes();
            a.bytesRead += s.bytesRead();
            a.bytesWritten += s.bytesWritten();
            a.cost += s.cost();
            return a;
        }

        @Override
        public ActionStatsAccumulator getResult(ActionStatsAccumulator a) {
            return a;
        }

        @Override
        public ActionStatsAccumulator merge(ActionStatsAccumulator a, ActionStatsAccumulator b) {
            throw new UnsupportedOperationException("tumbling windows are never merged");
        }
    }

    /** Stamps the window's sums with its start and its key. */
    public static final class Emit
            extends ProcessWindowFunction<ActionStatsAccumulator, ActionStats, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(
                String key,
                Context ctx,
                Iterable<ActionStatsAccumulator> sums,
                Collector<ActionStats> out) {
            WorkloadKey k = WorkloadKey.decode(key);
            for (ActionStatsAccumulator a : sums) {
                out.collect(
                        new ActionStats(
                                Instant.ofEpochMilli(ctx.window().getStart()),
                                k.tenant(),
                                k.workflowType(),
                                k.actionType(),
                                a.count,
                                a.failures,
                                a.durationSumMs / a.count,
                                a.durations.quantile(0.5),
                                a.durations.quantile(0.95),
                                a.cpuSeconds,
                                a.memoryGibSeconds,
                                a.networkInBytes,
                                a.networkOutBytes,
                                a.bytesRead,
                                a.bytesWritten,
                                a.cost));
            }
        }
    }
}
