package dev.foreshadow.connectors.records;

import java.time.Instant;

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
}
