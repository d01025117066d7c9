package dev.foreshadow.jobs.shadow.events;

import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.VerifiedEvent;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Rejects replayed external events: a record whose nonce its key already used within the replay
 * window goes to {@link #REPLAYS} as a dead letter naming the nonce, and is never applied; every
 * other one passes on. In: verified events (authentic, fresh, valid) keyed by key id, since a nonce
 * is unique per key; their event time is their receipt. Out: the accepted events.
 *
 * <p>A nonce is kept until {@code replayWindow} after its signing. The verifier rejects a record
 * received more than {@code max-age} after its signing, and the window is at least that long, so
 * any copy the verifier lets through still finds its nonce here. Nonces expire with event-time
 * timers, at most one per key per minute, so the state holds only the nonces of the last window.
 * Metrics: {@code externalEventsAccepted}, {@code externalEventsReplayed}.
 */
public final class RejectReplays
        extends KeyedProcessFunction<String, VerifiedEvent, VerifiedEvent> {

    private static final long serialVersionUID = 1L;

    /** Records whose nonce was already used: replays, with the reason and their bytes. */
    public static final OutputTag<DeadLetter> REPLAYS =
            new OutputTag<>("replayed-external-events") {};

    static final String NONCES_STATE = "nonces";
    private static final long MINUTE_MS = Duration.ofMinutes(1).toMillis();

    private final Duration replayWindow;

    /**
     * The key's nonces of the last window, each with the event time (ms) after which it is
     * forgotten; an entry goes when the watermark passes that time, the key's state with its last.
     */
    private transient MapState<String, Long> nonces;

    private transient Counter accepted;
    private transient Counter replayed;

    public RejectReplays(Duration replayWindow) {
        this.replayWindow = replayWindow;
    }

    /** The key of a record: the id of the key it was signed with. */
    public static String key(VerifiedEvent v) {
        return v.envelope().keyId();
    }

    @Override
    public void open(OpenContext openContext) {
        nonces =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(NONCES_STATE, Types.STRING, Types.LONG));
        accepted = getRuntimeContext().getMetricGroup().counter("externalEventsAccepted");
        replayed = getRuntimeContext().getMetricGroup().counter("externalEventsReplayed");
    }

    @Override
    public void processElement(VerifiedEvent v, Context ctx, Collector<VerifiedEvent> out)
            throws Exception {
        String nonce = v.envelope().nonce();
        if (nonces.contains(nonce)) {
            replayed.inc();
            ctx.output(
                    REPLAYS,
                    DeadLetter.of(
                            v.origin(),
                            "nonce: "
                                    + nonce
                                    + " was already used by key "
                                    + v.envelope().keyId()
                                    + " within external-events.replay-window ("
                                    + replayWindow
                                    + "): a replay",
                            v.receivedAt(),
                            v.original()));
            return;
        }
        long forgetAt = v.signedAt().toEpochMilli() + replayWindow.toMillis();
        nonces.put(nonce, forgetAt);
        // one timer per key per minute, whatever the number of events in it
        ctx.timerService().registerEventTimeTimer(-Math.floorDiv(-forgetAt, MINUTE_MS) * MINUTE_MS);
        accepted.inc();
        out.collect(v);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<VerifiedEvent> out)
            throws Exception {
        Iterator<Map.Entry<String, Long>> it = nonces.iterator();
        while (it.hasNext()) {
            if (it.next().getValue() <= timestamp) {
                it.remove(); // past its window: a copy now would be stale, and the verifier says so
            }
        }
        if (nonces.isEmpty()) {
            nonces.clear(); // the key's last nonce is gone: so is its state
        }
    }
}
