package dev.foreshadow.jobs.common;

import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.records.DeadLetter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes valid values on and sends every rejected input to {@link #DEAD_LETTERS}, so that nothing
 * vanishes.
 */
public final class SplitDeadLetters<T> extends ProcessFunction<Decoded<T>, T> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    @Override
    public void processElement(Decoded<T> decoded, Context ctx, Collector<T> out) {
        if (decoded.isValid()) {
            out.collect(decoded.value());
        } else {
            ctx.output(DEAD_LETTERS, decoded.deadLetter());
        }
    }
}
