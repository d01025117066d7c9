package dev.foreshadow.connectors.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.foreshadow.connectors.json.ExternalEventDecoder;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.json.Rejected;
import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.connectors.records.SignedEnvelope;
import dev.foreshadow.connectors.signing.EnvelopeSignature;
import dev.foreshadow.connectors.signing.SigningKey;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;

/**
 * Signs external events with one key, for whoever publishes them: {@code ./foreshadow sign}, the
 * demo, integrators' Java code. Input: an {@link ExternalEvent} or its JSON text. Output: the
 * {@link SignedEnvelope} to publish on {@code external-events} (as JSON, {@link #record}), stamped
 * with the clock's time and a fresh random nonce.
 *
 * <p>An event is checked with the job's own rules ({@link ExternalEventDecoder}) and against the
 * key's tenant before it is signed, so a mistake shows at the sender rather than in dead letters.
 */
public final class ExternalEventSigner {

    /** How far an event's announcedAt may lie after its signing, as the job allows by default. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(1);

    private static final int NONCE_BYTES = 18;

    private final SigningKey key;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    private final ExternalEventDecoder decoder =
            new ExternalEventDecoder("", DEFAULT_MAX_CLOCK_SKEW);

    public ExternalEventSigner(SigningKey key, InstantSource clock) {
        if (key == null) {
            throw new IllegalArgumentException("no signing key");
        }
        this.key = key;
        this.clock = clock;
    }

    /** The signed envelope of {@code event}. */
    public SignedEnvelope sign(ExternalEvent event) throws Rejected {
        return sign(Json.string(event), null);
    }

    /**
     * The signed envelope of the event {@code json} (without surrounding white space); with a
     * {@code tenant}, the event's tenant is set to it first (and the JSON rewritten compactly).
     */
    public SignedEnvelope sign(String json, String tenant) throws Rejected {
        String body = tenant == null ? json.strip() : withTenant(json.strip(), tenant);
        long timestamp = clock.instant().getEpochSecond();
        ExternalEvent event = decoder.decode(body, Instant.ofEpochSecond(timestamp));
        ExternalEventVerifier.requireTenant(key, event.tenant());
        return envelope(timestamp, body);
    }

    /**
     * The signed envelope of {@code body} exactly as it is, unchecked: for senders that validate
     * elsewhere and for tests of what the job rejects.
     */
    public SignedEnvelope signExactly(String body) {
        return envelope(clock.instant().getEpochSecond(), body);
    }

    /** The bytes to publish: the envelope as one line of JSON. */
    public static byte[] record(SignedEnvelope envelope) {
        return Json.bytes(envelope);
    }

    private SignedEnvelope envelope(long timestamp, String body) {
        byte[] bytes = new byte[NONCE_BYTES];
        random.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new SignedEnvelope(
                key.keyId(),
                timestamp,
                nonce,
                EnvelopeSignature.sign(key, timestamp, nonce, body),
                body);
    }

    private static String withTenant(String json, String tenant) throws Rejected {
        JsonNode root;
        try {
            root = Json.STRICT.readTree(json);
        } catch (IOException e) {
            return json; // the decoder says what is wrong with it
        }
        if (!(root instanceof ObjectNode event)) {
            return json;
        }
        JsonNode given = event.get("tenant");
        if (given != null && !given.isNull() && !given.asText().equals(tenant)) {
            throw new Rejected(
                    "tenant: the event is for '" + given.asText() + "', not '" + tenant + "'");
        }
        event.put("tenant", tenant);
        return Json.string(event);
    }
}
