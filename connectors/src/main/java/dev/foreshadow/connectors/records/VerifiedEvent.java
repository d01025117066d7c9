package dev.foreshadow.connectors.records;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An external event whose signature, age and content were checked, with where it came from: what
 * the job's replay check receives, and what it passes on (to the {@code external_events} table and
 * to the forecaster) when its nonce is new.
 *
 * @param envelope the signed record, as received
 * @param receivedAt the time its age was judged against: the broker's append time when the topic
 *     stamps one, else the verifier's clock; also its event time in the job
 * @param origin {@code topic/partition@offset}
 * @param original the record's bytes, for a dead letter if it turns out to be a replay
 */
public record VerifiedEvent(
        ExternalEvent event,
        SignedEnvelope envelope,
        Instant receivedAt,
        String origin,
        byte[] original) {

    /** When it was signed. */
    public Instant signedAt() {
        return Instant.ofEpochSecond(envelope.timestamp());
    }

    // a record compares arrays by reference: compare the bytes
    @Override
    public boolean equals(Object o) {
        return o instanceof VerifiedEvent v
                && Objects.equals(event, v.event)
                && Objects.equals(envelope, v.envelope)
                && Objects.equals(receivedAt, v.receivedAt)
                && Objects.equals(origin, v.origin)
                && Arrays.equals(original, v.original);
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, envelope, receivedAt, origin, Arrays.hashCode(original));
    }
}
