package dev.foreshadow.connectors.records;

/**
 * A signed record of {@code external-events}: the event's JSON text as {@code body}, exactly as it
 * was signed, with the id of the key, the time and a nonce, and the HMAC-SHA256 over all four, so
 * that none of them can be swapped. Made by {@code ExternalEventSigner} ({@code ./foreshadow
 * sign}), checked by {@code EnvelopeVerifier}.
 *
 * @param keyId the key's id in the key file: letters, digits, {@code .}, {@code _} and {@code -}
 * @param timestamp when it was signed, in epoch seconds
 * @param nonce a random string used once per key ({@code [A-Za-z0-9_-]}, 16 to 128 characters)
 * @param signature {@code sha256=} and the lowercase hex HMAC-SHA256, under the key, of the UTF-8
 *     bytes of {@code keyId \n timestamp \n nonce \n body}
 * @param body the {@link ExternalEvent} as JSON text
 */
public record SignedEnvelope(
        String keyId, long timestamp, String nonce, String signature, String body) {}
