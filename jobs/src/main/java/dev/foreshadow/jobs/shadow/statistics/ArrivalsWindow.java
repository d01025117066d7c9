package dev.foreshadow.jobs.shadow.statistics;

import dev.foreshadow.connectors.records.Arrivals;
import java.time.Instant;
import org.apache.flink.api.common.functions.ReduceFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Runs started per minute of one (tenant, workflow type): the series that forecasting learns from.
 * In: one {@link Arrivals} of 1 per run start, keyed by {@link #key}; out: the minute's total
 * stamped with the window start.
 */
public final class ArrivalsWindow {

    private ArrivalsWindow() {}

    /** The Flink key: the workflow type's {@code WorkloadKey}, encoded. */
    public static String key(Arrivals a) {
        return a.typeKey().encoded();
    }

    public static final class Count implements ReduceFunction<Arrivals> {
        private static final long serialVersionUID = 1L;

        @Override
        public Arrivals reduce(Arrivals a, Arrivals b) {
            return new Arrivals(a.bucket(), a.tenant(), a.workflowType(), a.runs() + b.runs());
        }
    }

    public static final class Emit
            extends ProcessWindowFunction<Arrivals, Arrivals, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(
                String key, Context ctx, Iterable<Arrivals> totals, Collector<Arrivals> out) {
            for (Arrivals a : totals) {
                out.collect(
                        new Arrivals(
                                Instant.ofEpochMilli(ctx.window().getStart()),
                                a.tenant(),
                                a.workflowType(),
                                a.runs()));
            }
        }
    }
}
