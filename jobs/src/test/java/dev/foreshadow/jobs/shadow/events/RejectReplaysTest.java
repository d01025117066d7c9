package dev.foreshadow.jobs.shadow.events;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.Harnesses.values;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.connectors.records.SignedEnvelope;
import dev.foreshadow.connectors.records.VerifiedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replay check: a nonce passes once per key within the window, its copies are dead-lettered
 * with the reason, and once the window has passed nothing of the key is left, state or timer.
 */
class RejectReplaysTest {

    private static final Instant SIGNED = Instant.parse("2026-11-20T09:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private KeyedOneInputStreamOperatorTestHarness<String, VerifiedEvent, VerifiedEvent> h;

    @BeforeEach
    void open() throws Exception {
        h = keyed(new RejectReplays(WINDOW), RejectReplays::key);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void passesANonceOnceAndDeadLettersItsReplayWithTheReasonAndTheOriginalBytes()
            throws Exception {
        VerifiedEvent first = event("shop-2026-11", "nonce-aaaaaaaaaaaaaaaa", SIGNED, 0);
        VerifiedEvent copy = event("shop-2026-11", "nonce-aaaaaaaaaaaaaaaa", SIGNED, 1);
        VerifiedEvent other = event("shop-2026-11", "nonce-bbbbbbbbbbbbbbbb", SIGNED, 2);

        receive(first, SIGNED.plusSeconds(1));
        receive(copy, SIGNED.plusSeconds(200));
        receive(other, SIGNED.plusSeconds(201));

        assertThat(h.extractOutputValues()).containsExactly(first, other);
        List<DeadLetter> replays = values(h.getSideOutput(RejectReplays.REPLAYS));
        assertThat(replays).hasSize(1);
        assertThat(replays.get(0).reason())
                .isEqualTo(
                        "nonce: nonce-aaaaaaaaaaaaaaaa was already used by key shop-2026-11"
                                + " within external-events.replay-window (PT10M): a replay");
        assertThat(replays.get(0).source()).isEqualTo("external-events/0@1");
        assertThat(replays.get(0).originalBytes()).isEqualTo(copy.original());
    }

    @Test
    void aNonceOfOneKeyIsNoReplayUnderAnother() throws Exception {
        VerifiedEvent shop = event("shop-2026-11", "nonce-aaaaaaaaaaaaaaaa", SIGNED, 0);
        VerifiedEvent platform = event("platform", "nonce-aaaaaaaaaaaaaaaa", SIGNED, 1);

        receive(shop, SIGNED);
        receive(platform, SIGNED);

        assertThat(h.extractOutputValues()).containsExactly(shop, platform);
        assertThat(h.getSideOutput(RejectReplays.REPLAYS)).isNull();
    }

    @Test
    void keepsANonceUntilItsWindowHasPassedThenLeavesNoStateOrTimerOfTheKey() throws Exception {
        Instant signed = SIGNED.plusSeconds(5);
        receive(event("shop-2026-11", "nonce-aaaaaaaaaaaaaaaa", signed, 0), signed);
        receive(event("shop-2026-11", "nonce-bbbbbbbbbbbbbbbb", signed.plusSeconds(20), 1), signed);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).as("one timer per key per minute").isEqualTo(1);

        h.processWatermark(signed.plus(WINDOW).toEpochMilli() - 1);
        receive(event("shop-2026-11", "nonce-aaaaaaaaaaaaaaaa", signed, 2), signed.plus(WINDOW));
        assertThat(values(h.getSideOutput(RejectReplays.REPLAYS)))
                .as("still a replay just before the window ends")
                .hasSize(1);

        h.processWatermark(signed.plus(WINDOW).plusSeconds(60).toEpochMilli());

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    private void receive(VerifiedEvent v, Instant at) throws Exception {
        h.processElement(v, at.toEpochMilli());
    }

    /** The {@code n}-th record of the topic: an event signed by {@code keyId} at {@code signed}. */
    static VerifiedEvent event(String keyId, String nonce, Instant signed, int n) {
        ExternalEvent e =
                new ExternalEvent(
                        "black-friday-2026",
                        "shop",
                        "crm",
                        "campaign",
                        Instant.parse("2026-11-27T00:00:00Z"),
                        Instant.parse("2026-11-28T00:00:00Z"),
                        2.5,
                        List.of("order-fulfilment"),
                        signed);
        SignedEnvelope envelope =
                new SignedEnvelope(
                        keyId,
                        signed.getEpochSecond(),
                        nonce,
                        "sha256=" + "0".repeat(64),
                        Json.string(e));
        return new VerifiedEvent(
                e,
                envelope,
                signed,
                "external-events/0@" + n,
                Json.string(envelope).getBytes(UTF_8));
    }
}
