package dev.foreshadow.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;

/**
 * Operator harnesses for keyed (and keyed broadcast) process functions, as every stateful
 * operator's test uses them.
 */
public final class Harnesses {

    private Harnesses() {}

    /** An opened harness of {@code f} keyed by {@code key}, with generic types disabled. */
    public static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> keyed(
            KeyedProcessFunction<String, I, O> f, KeySelector<I, String> key) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(f), key, Types.STRING);
        // as ShadowJob sets it: a state that would fall back to Kryo fails the test
        ((SerializerConfigImpl) h.getExecutionConfig().getSerializerConfig())
                .setGenericTypes(false);
        h.open();
        return h;
    }

    /**
     * An opened harness of the keyed broadcast function {@code f} keyed by {@code key}, with
     * generic types disabled.
     */
    public static <I, B, O> KeyedBroadcastOperatorTestHarness<String, I, B, O> keyedBroadcast(
            KeyedBroadcastProcessFunction<String, I, B, O> f,
            KeySelector<I, String> key,
            MapStateDescriptor<?, ?>... descriptors)
            throws Exception {
        var h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(f, List.of(descriptors)),
                        key,
                        Types.STRING,
                        128,
                        1,
                        0);
        ((SerializerConfigImpl) h.getExecutionConfig().getSerializerConfig())
                .setGenericTypes(false);
        h.setup();
        h.open();
        return h;
    }

    /** Entries of every keyed state of a keyed broadcast harness (heap backend). */
    public static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) {
        return ((HeapKeyedStateBackend<?>)
                        ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    /** The values of a side output (empty when nothing was emitted on it). */
    public static <T> List<T> values(Queue<StreamRecord<T>> records) {
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    /** A collector that appends to {@code out}. */
    public static <T> Collector<T> collector(List<T> out) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }

    /** A fresh list, for {@link #collector}. */
    public static <T> List<T> list() {
        return new ArrayList<>();
    }
}
