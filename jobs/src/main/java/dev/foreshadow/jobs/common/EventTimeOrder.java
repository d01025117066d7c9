package dev.foreshadow.jobs.common;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Hands a keyed operator its elements in event-time order, and those of one time in a fixed order,
 * whatever order they arrived in: the elements of a key wait for the watermark in keyed state (one
 * entry and one timer per distinct time), so the same input gives the same output however the
 * channels feeding the operator interleave, and whether or not the job was restarted on the way. An
 * element already behind the watermark is handed over at once: nothing is left to order it with.
 *
 * <p>Use from a keyed process function: {@link #open} in {@code open}; in {@code processElement}
 * call {@link #offer} and process the element yourself only when it answers false; in {@code
 * onTimer} process {@link #due} (empty for another timer of the function), and {@link #clear} with
 * the key's other state. The function must never delete an event-time timer of the key: a key has
 * one timer per time, so deleting one of its own would also take away the one the waiting elements
 * of that time rely on, and they would never be handed over.
 */
public final class EventTimeOrder<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String stateName;
    private final TypeInformation<T> type;
    private final Comparator<T> order;

    /**
     * Event time (ms) -> its elements waiting for the watermark; each entry removed when its timer
     * fires, so it holds at most the elements of the last out-of-orderness interval.
     */
    private transient MapState<Long, List<T>> pending;

    /**
     * @param stateName the state's name (keep it once the job has savepoints)
     * @param type the elements' type information (never Kryo)
     * @param order how elements of one event time are ordered (serializable); a total order gives
     *     one output for one input
     */
    public EventTimeOrder(String stateName, TypeInformation<T> type, Comparator<T> order) {
        this.stateName = stateName;
        this.type = type;
        this.order = order;
    }

    public void open(RuntimeContext context) {
        pending =
                context.getMapState(
                        new MapStateDescriptor<>(stateName, Types.LONG, Types.LIST(type)));
    }

    /**
     * Keeps {@code value} of event time {@code t} until the watermark passes t; false when it
     * already has (the caller processes the element now).
     */
    public boolean offer(T value, long t, TimerService timers) throws Exception {
        if (t <= timers.currentWatermark()) {
            return false;
        }
        List<T> waiting = pending.get(t);
        if (waiting == null) {
            waiting = new ArrayList<>();
            timers.registerEventTimeTimer(t);
        }
        waiting.add(value);
        pending.put(t, waiting);
        return true;
    }

    /** The elements of time {@code timestamp}, in order, removed from state; empty if none. */
    public List<T> due(long timestamp) throws Exception {
        List<T> due = pending.get(timestamp);
        if (due == null) {
            return List.of();
        }
        pending.remove(timestamp);
        due.sort(order);
        return due;
    }

    public void clear() {
        pending.clear();
    }
}
