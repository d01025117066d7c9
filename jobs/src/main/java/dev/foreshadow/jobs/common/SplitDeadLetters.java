package dev.foreshadow.jobs.common;

import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.records.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes valid values on and sends every rejected input to {@link #DEAD_LETTERS}, so that nothing
 * vanishes. Counts what it splits: {@code eventsIn}, and {@code eventsRejected} by the field the
 * reason names ({@link JobMetrics}).
 */
public final class SplitDeadLetters<T> extends ProcessFunction<Decoded<T>, T> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient Counter in;
    private transient JobMetrics.Labelled rejected;

    @Override
    public void open(OpenContext openContext) {
        in = getRuntimeContext().getMetricGroup().counter(JobMetrics.EVENTS_IN);
        rejected =
                new JobMetrics.Labelled(
                        getRuntimeContext().getMetricGroup(),
                        JobMetrics.EVENTS_REJECTED,
                        JobMetrics.REASON);
    }

    @Override
    public void processElement(Decoded<T> decoded, Context ctx, Collector<T> out) {
        in.inc();
        if (decoded.isValid()) {
            out.collect(decoded.value());
        } else {
            rejected.inc(decoded.deadLetter().reasonField());
            ctx.output(DEAD_LETTERS, decoded.deadLetter());
        }
    }
}
