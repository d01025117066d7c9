package dev.foreshadow.connectors.external;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.json.Rejected;
import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.connectors.records.SignedEnvelope;
import dev.foreshadow.connectors.records.VerifiedEvent;
import dev.foreshadow.connectors.signing.KeyRing;
import dev.foreshadow.connectors.signing.Keys;
import dev.foreshadow.connectors.signing.SigningKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signed external events as the job checks them: what is accepted (a valid signature, by either key
 * while a rotation is under way) and what is rejected, with which reason (unsigned, unknown key,
 * forged, stale, from the future, another tenant's key, an invalid body).
 */
class ExternalEventVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-20T09:00:00Z");
    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Duration SKEW = Duration.ofMinutes(1);
    private static final String ORIGIN = "external-events/0@7";

    static final ExternalEvent BLACK_FRIDAY =
            new ExternalEvent(
                    "black-friday-2026",
                    "shop",
                    "crm",
                    "campaign",
                    Instant.parse("2026-11-27T00:00:00Z"),
                    Instant.parse("2026-11-28T00:00:00Z"),
                    2.5,
                    List.of("order-fulfilment"),
                    Instant.parse("2026-11-20T08:59:30Z"));

    private final KeyRing rotating = Keys.ring(Keys.rotating());
    private final ExternalEventVerifier verifier = verifier(rotating);

    @Test
    void acceptsAValidSignatureAndReturnsTheEventWithItsEnvelope() throws Exception {
        SignedEnvelope signed = signer(Keys.NEW, NOW).sign(BLACK_FRIDAY);

        VerifiedEvent v = verifier.verify(record(signed), NOW.plusSeconds(2), ORIGIN);

        assertThat(v.event()).isEqualTo(BLACK_FRIDAY);
        assertThat(v.envelope()).isEqualTo(signed);
        assertThat(v.signedAt()).isEqualTo(NOW);
        assertThat(v.receivedAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(v.origin()).isEqualTo(ORIGIN);
        assertThat(signed.body()).isEqualTo(Json.string(BLACK_FRIDAY));
    }

    @Test
    void acceptsTheOldAndTheNewKeyWhileBothAreInTheFileAndOnlyTheNewOneAfterwards()
            throws Exception {
        byte[] byOld = record(signer(Keys.OLD, NOW).sign(BLACK_FRIDAY));
        byte[] byNew = record(signer(Keys.NEW, NOW).sign(BLACK_FRIDAY));
        ExternalEventVerifier afterRotation = verifier(Keys.ring(Keys.rotated()));

        assertThat(verifier.verify(byOld, NOW, ORIGIN).envelope().keyId()).isEqualTo(Keys.OLD);
        assertThat(verifier.verify(byNew, NOW, ORIGIN).envelope().keyId()).isEqualTo(Keys.NEW);
        assertThat(afterRotation.verify(byNew, NOW, ORIGIN).event()).isEqualTo(BLACK_FRIDAY);
        assertRejected(
                afterRotation,
                byOld,
                NOW,
                "keyId: shop-2026-10 is not in external-events.key-file");
    }

    @Test
    void rejectsAForgedBodyTimestampNonceOrKeyId() throws Exception {
        SignedEnvelope s = signer(Keys.NEW, NOW).sign(BLACK_FRIDAY);
        String doubled = s.body().replace("\"magnitude\":2.5", "\"magnitude\":25.0");
        assertThat(doubled).isNotEqualTo(s.body());
        String forged = "signature: does not match the record (altered, or not signed with key ";

        assertRejected(
                record(
                        new SignedEnvelope(
                                s.keyId(), s.timestamp(), s.nonce(), s.signature(), doubled)),
                NOW,
                forged + Keys.NEW + ")");
        assertRejected(
                record(
                        new SignedEnvelope(
                                s.keyId(), s.timestamp() + 1, s.nonce(), s.signature(), s.body())),
                NOW,
                forged + Keys.NEW + ")");
        assertRejected(
                record(
                        new SignedEnvelope(
                                s.keyId(),
                                s.timestamp(),
                                s.nonce() + "x",
                                s.signature(),
                                s.body())),
                NOW,
                forged + Keys.NEW + ")");
        assertRejected(
                record(
                        new SignedEnvelope(
                                Keys.OLD, s.timestamp(), s.nonce(), s.signature(), s.body())),
                NOW,
                forged + Keys.OLD + ")");
    }

    @Test
    void rejectsAnEventSignedWithAKeyUnderAnIdItDoesNotBelongTo() throws Exception {
        SigningKey impostor = new SigningKey(Keys.NEW, "shop", Keys.PLATFORM_SECRET);
        byte[] forged =
                record(
                        new ExternalEventSigner(impostor, InstantSource.fixed(NOW))
                                .sign(BLACK_FRIDAY));

        assertRejected(
                forged,
                NOW,
                "signature: does not match the record (altered, or not signed with key "
                        + Keys.NEW
                        + ")");
    }

    @Test
    void rejectsAnUnknownKeyIdAndEveryEventWhenNoKeyIsConfigured() throws Exception {
        byte[] byStranger =
                record(
                        new ExternalEventSigner(
                                        new SigningKey("stranger", "shop", Keys.NEW_SECRET),
                                        InstantSource.fixed(NOW))
                                .sign(BLACK_FRIDAY));
        byte[] byNew = record(signer(Keys.NEW, NOW).sign(BLACK_FRIDAY));

        assertRejected(byStranger, NOW, "keyId: stranger is not in external-events.key-file");
        assertThatThrownBy(
                        () ->
                                verifier(KeyRing.none("external-events.key-file"))
                                        .verify(byNew, NOW, ORIGIN))
                .hasMessage(
                        "keyId: no key is configured (external-events.key-file), so no event can be verified");
    }

    @Test
    void rejectsAnEventSignedLongerThanMaxAgeBeforeItWasReceived() throws Exception {
        byte[] signed = record(signer(Keys.NEW, NOW).sign(BLACK_FRIDAY));

        assertThat(verifier.verify(signed, NOW.plus(MAX_AGE), ORIGIN).event())
                .isEqualTo(BLACK_FRIDAY);
        assertRejected(
                signed,
                NOW.plus(MAX_AGE).plusSeconds(1),
                "timestamp: signed at 2026-11-20T09:00:00Z, more than PT5M before it was received"
                        + " (2026-11-20T09:05:01Z): stale");
    }

    @Test
    void rejectsAnEventSignedFurtherInTheFutureThanTheClockSkew() throws Exception {
        byte[] signed = record(signer(Keys.NEW, NOW).sign(BLACK_FRIDAY));

        assertThat(verifier.verify(signed, NOW.minus(SKEW), ORIGIN).event())
                .isEqualTo(BLACK_FRIDAY);
        assertRejected(
                signed,
                NOW.minus(SKEW).minusSeconds(1),
                "timestamp: signed at 2026-11-20T09:00:00Z, more than PT1M after it was received"
                        + " (2026-11-20T08:58:59Z): in the future");
    }

    @Test
    void rejectsAnUnsignedEventAndAMalformedEnvelopeNamingTheField() throws Exception {
        SignedEnvelope s = signer(Keys.NEW, NOW).sign(BLACK_FRIDAY);

        assertRejected(
                Json.bytes(BLACK_FRIDAY),
                NOW,
                "signature: is missing: an unsigned record (sign events with ./foreshadow sign)");
        assertRejected(
                "{not json".getBytes(UTF_8),
                NOW,
                "envelope: not valid JSON (Unexpected character ('n' (code 110)): was expecting double-quote to start field name)");
        assertRejected(
                "[1]".getBytes(UTF_8), NOW, "envelope: expected a JSON object, got an array");
        assertRejected(
                Json.string(s).replace("\"body\":", "\"body\":\"{}\",\"body\":").getBytes(UTF_8),
                NOW,
                "body: is given twice");
        assertRejected(new byte[0], NOW, "envelope: is empty");
        assertRejected(
                Json.string(s)
                        .replace("\"nonce\":\"" + s.nonce() + "\"", "\"nonce\":\"short\"")
                        .getBytes(UTF_8),
                NOW,
                "nonce: expected 16 to 128 characters of A-Z, a-z, 0-9, '_', '-'");
        assertRejected(
                Json.string(s)
                        .replace("\"timestamp\":" + s.timestamp(), "\"timestamp\":\"now\"")
                        .getBytes(UTF_8),
                NOW,
                "timestamp: expected whole epoch seconds from 0 to 253402300799");
        assertRejected(
                Json.string(s)
                        .replace(
                                "\"timestamp\":" + s.timestamp(), "\"timestamp\":" + Long.MAX_VALUE)
                        .getBytes(UTF_8),
                NOW,
                "timestamp: expected whole epoch seconds from 0 to 253402300799");
        assertRejected(
                Json.string(s).replace("\"keyId\":\"" + Keys.NEW + "\",", "").getBytes(UTF_8),
                NOW,
                "keyId: is missing");
        assertRejected(
                Json.string(s).replace(s.signature(), s.signature().toUpperCase()).getBytes(UTF_8),
                NOW,
                "signature: expected sha256= and 64 lowercase hex digits");
    }

    @Test
    void rejectsAnAuthenticEventWhoseBodyIsInvalidNamingTheBodysField() throws Exception {
        String endBeforeStart =
                Json.string(BLACK_FRIDAY).replace("2026-11-28T00:00:00Z", "2026-11-26T00:00:00Z");

        assertRejected(
                record(signer(Keys.NEW, NOW).signExactly(endBeforeStart)),
                NOW,
                "body.end: 2026-11-26T00:00:00Z is not after body.start (2026-11-27T00:00:00Z)");
    }

    @Test
    void rejectsAnEventOfAnotherTenantSignedWithATenantsKey() throws Exception {
        String ofBank =
                Json.string(BLACK_FRIDAY).replace("\"tenant\":\"shop\"", "\"tenant\":\"bank\"");

        assertRejected(
                record(signer(Keys.NEW, NOW).signExactly(ofBank)),
                NOW,
                "tenant: key shop-2026-11 signs only events of tenant 'shop', this one is for 'bank'");
        assertThat(
                        verifier.verify(
                                        record(signer(Keys.PLATFORM, NOW).signExactly(ofBank)),
                                        NOW,
                                        ORIGIN)
                                .event()
                                .tenant())
                .as("the platform key signs for every tenant")
                .isEqualTo("bank");
    }

    private ExternalEventSigner signer(String keyId, Instant at) {
        return new ExternalEventSigner(rotating.key(keyId), InstantSource.fixed(at));
    }

    private static ExternalEventVerifier verifier(KeyRing ring) {
        return new ExternalEventVerifier(ring, MAX_AGE, SKEW);
    }

    private static byte[] record(SignedEnvelope s) {
        return ExternalEventSigner.record(s);
    }

    private void assertRejected(byte[] record, Instant receivedAt, String reason) {
        assertRejected(verifier, record, receivedAt, reason);
    }

    private static void assertRejected(
            ExternalEventVerifier verifier, byte[] record, Instant receivedAt, String reason) {
        assertThatThrownBy(() -> verifier.verify(record, receivedAt, ORIGIN))
                .isInstanceOf(Rejected.class)
                .hasMessage(reason);
    }
}
