package dev.foreshadow.jobs.operators;

import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.ActionStats;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Per-minute statistics of one (tenant, workflow type, action type): counts, failures, mean/p50/p95
 * duration and the sums of CPU, memory-time, bytes and cost. In: {@link ActionSample}s keyed by
 * {@link #key}; out: one {@link ActionStats} per window with samples, stamped with the window
 * start.
 */
public final class ActionStatsWindow {

    /**
     * Durations kept per window for exact quantiles; beyond this the quantiles come from a uniform
     * sample.
     */
    static final int RESERVOIR_CAPACITY = 4096;

    private ActionStatsWindow() {}

    public static String key(ActionSample s) {
        return s.tenant() + "\u0000" + s.workflowType() + "\u0000" + s.actionType();
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
            String[] parts = key.split("\u0000", 3);
            for (ActionStatsAccumulator a : sums) {
                out.collect(
                        new ActionStats(
                                java.time.Instant.ofEpochMilli(ctx.window().getStart()),
                                parts[0],
                                parts[1],
                                parts[2],
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
