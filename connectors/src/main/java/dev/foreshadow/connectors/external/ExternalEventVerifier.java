package dev.foreshadow.connectors.external;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foreshadow.connectors.json.ExternalEventDecoder;
import dev.foreshadow.connectors.json.InputLimits;
import dev.foreshadow.connectors.json.JsonInput;
import dev.foreshadow.connectors.json.Rejected;
import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.connectors.records.SignedEnvelope;
import dev.foreshadow.connectors.records.VerifiedEvent;
import dev.foreshadow.connectors.signing.EnvelopeSignature;
import dev.foreshadow.connectors.signing.KeyRing;
import dev.foreshadow.connectors.signing.SigningKey;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Authenticates, then validates, a record of {@code external-events}: reads its {@link
 * SignedEnvelope}, finds the key by id, checks the HMAC-SHA256 in constant time, checks that it was
 * signed no more than {@code maxAge} before, and no more than {@code maxClockSkew} after, the time
 * it was received, and only then decodes the body ({@link ExternalEventDecoder}, reasons under
 * {@code body.}) and checks that the key may sign for the event's tenant. Input: the record's bytes
 * and that time. Output: the {@link VerifiedEvent}, or a {@link Rejected} whose reason names the
 * field (an unsigned record, an unknown key, a forgery, a stale or future timestamp, an invalid
 * event, another tenant's key).
 *
 * <p>It keeps no state: a replay within {@code maxAge} passes here and is caught by the job's keyed
 * nonce check.
 */
public final class ExternalEventVerifier implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    private static final Pattern SIGNATURE = Pattern.compile("sha256=[0-9a-f]{64}");

    /** The last second of the year 9999: later times are no signing time, and break Instant. */
    static final long LAST_SECOND = 253_402_300_799L;

    private final KeyRing keys;
    private final Duration maxAge;
    private final Duration maxClockSkew;
    private final ExternalEventDecoder decoder;
    private final InputLimits limits;

    /** A verifier reading records under the default {@link InputLimits}. */
    public ExternalEventVerifier(KeyRing keys, Duration maxAge, Duration maxClockSkew) {
        this(keys, maxAge, maxClockSkew, InputLimits.defaults());
    }

    public ExternalEventVerifier(
            KeyRing keys, Duration maxAge, Duration maxClockSkew, InputLimits limits) {
        this.keys = keys;
        this.maxAge = maxAge;
        this.maxClockSkew = maxClockSkew;
        this.limits = limits;
        this.decoder = new ExternalEventDecoder("body", maxClockSkew, limits);
    }

    /**
     * The event of {@code record}, received at {@code receivedAt} from {@code origin}, if it is
     * authentic, fresh and valid.
     */
    public VerifiedEvent verify(byte[] record, Instant receivedAt, String origin) throws Rejected {
        SignedEnvelope envelope = parse(record);
        SigningKey key = keys.key(envelope.keyId());
        if (key == null) {
            throw new Rejected(
                    keys.isEmpty()
                            ? "keyId: no key is configured ("
                                    + keys.setting()
                                    + "), so no event can be verified"
                            : "keyId: " + envelope.keyId() + " is not in " + keys.setting());
        }
        if (!EnvelopeSignature.matches(
                key,
                envelope.timestamp(),
                envelope.nonce(),
                envelope.body(),
                envelope.signature())) {
            throw new Rejected(
                    "signature: does not match the record (altered, or not signed with key "
                            + key.keyId()
                            + ")");
        }
        Instant signedAt = Instant.ofEpochSecond(envelope.timestamp());
        if (signedAt.isBefore(receivedAt.minus(maxAge))) {
            throw new Rejected(
                    "timestamp: signed at "
                            + signedAt
                            + ", more than "
                            + maxAge
                            + " before it was received ("
                            + receivedAt
                            + "): stale");
        }
        if (signedAt.isAfter(receivedAt.plus(maxClockSkew))) {
            throw new Rejected(
                    "timestamp: signed at "
                            + signedAt
                            + ", more than "
                            + maxClockSkew
                            + " after it was received ("
                            + receivedAt
                            + "): in the future");
        }
        ExternalEvent event = decoder.decode(envelope.body(), signedAt);
        requireTenant(key, event.tenant());
        return new VerifiedEvent(event, envelope, receivedAt, origin, record);
    }

    /** Rejects an event of {@code tenant} when {@code key} may not sign for it. */
    static void requireTenant(SigningKey key, String tenant) throws Rejected {
        if (!key.maySignFor(tenant)) {
            throw new Rejected(
                    "tenant: key "
                            + key.keyId()
                            + " signs only events of tenant '"
                            + key.tenant()
                            + "', this one is for '"
                            + tenant
                            + "'");
        }
    }

    private SignedEnvelope parse(byte[] record) throws Rejected {
        JsonNode root = JsonInput.object(record, "envelope", limits);
        if (!root.hasNonNull("signature")) {
            throw new Rejected(
                    "signature: is missing: an unsigned record (sign events with ./foreshadow sign)");
        }
        String keyId = text(root, "keyId");
        if (!SigningKey.isKeyId(keyId)) {
            throw new Rejected(
                    "keyId: may hold only letters, digits, '.', '_' and '-', at most 64");
        }
        JsonNode timestamp = root.get("timestamp");
        if (timestamp == null
                || !timestamp.isIntegralNumber()
                || !timestamp.canConvertToLong()
                || timestamp.longValue() < 0
                || timestamp.longValue() > LAST_SECOND) {
            throw new Rejected("timestamp: expected whole epoch seconds from 0 to " + LAST_SECOND);
        }
        String nonce = text(root, "nonce");
        if (!NONCE.matcher(nonce).matches()) {
            throw new Rejected("nonce: expected 16 to 128 characters of A-Z, a-z, 0-9, '_', '-'");
        }
        String body = text(root, "body");
        String signature = text(root, "signature");
        if (!SIGNATURE.matcher(signature).matches()) {
            throw new Rejected("signature: expected sha256= and 64 lowercase hex digits");
        }
        return new SignedEnvelope(keyId, timestamp.longValue(), nonce, signature, body);
    }

    private static String text(JsonNode root, String field) throws Rejected {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw new Rejected(field + ": is missing");
        }
        if (!value.isTextual()) {
            throw new Rejected(field + ": expected a string");
        }
        return value.textValue();
    }
}
