package dev.foreshadow.jobs.common;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Forgets a key that has been silent for {@code ttl} of event time: a workflow type (or action
 * type, or tenant) that no longer runs has no history left after the retention, so its baselines go
 * too, and state does not grow with every type that ever ran.
 *
 * <p>Use from a keyed process function: {@link #open} in {@code open}, {@link #touch} for each
 * element, and in {@code onTimer} call {@link #expired}; when it answers true, clear every state of
 * the key. It keeps one {@code Long} per key (the latest event time seen) and at most one timer per
 * key per day of event time, so the hot path registers a timer only when the day changes.
 */
public final class SilentKeys implements Serializable {

    private static final long serialVersionUID = 1L;

    static final String LAST_SEEN_STATE = "last-seen";
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private final long ttlMs;

    /** Latest event time (ms) seen for the key; cleared with the key. */
    private transient ValueState<Long> lastSeen;

    public SilentKeys(Duration ttl) {
        this.ttlMs = ttl.toMillis();
    }

    public void open(RuntimeContext context) {
        lastSeen = context.getState(new ValueStateDescriptor<>(LAST_SEEN_STATE, Types.LONG));
    }

    /** Records activity of the current key at {@code eventTimeMs}. */
    public void touch(long eventTimeMs, TimerService timers) throws Exception {
        Long last = lastSeen.value();
        if (last != null && eventTimeMs <= last) {
            return;
        }
        lastSeen.update(eventTimeMs);
        if (last == null || Math.floorDiv(last, DAY_MS) != Math.floorDiv(eventTimeMs, DAY_MS)) {
            timers.registerEventTimeTimer(checkAt(eventTimeMs));
        }
    }

    /**
     * Whether the timer at {@code timestampMs} finds the current key silent for the ttl; its own
     * state is then cleared, and the caller clears the rest.
     */
    public boolean expired(long timestampMs) throws Exception {
        Long last = lastSeen.value();
        if (last == null || timestampMs < checkAt(last)) {
            return false;
        }
        lastSeen.clear();
        return true;
    }

    /** The end of the day of {@code t}, plus the ttl: after {@code t + ttl} whatever t's hour. */
    private long checkAt(long t) {
        long end = (Math.floorDiv(t, DAY_MS) + 1) * DAY_MS;
        return end > Long.MAX_VALUE - ttlMs ? Long.MAX_VALUE : end + ttlMs;
    }
}
