package dev.foreshadow.connectors.signing;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The signature of a signed external event ({@code SignedEnvelope}): {@value #SCHEME} and the
 * lowercase hex HMAC-SHA256, under the key, of the UTF-8 bytes of {@code keyId \n timestamp \n
 * nonce \n body}. Key ids and nonces hold no line end and the body comes last, so no two envelopes
 * share a signed text, and none of the four can be swapped.
 */
public final class EnvelopeSignature {

    public static final String SCHEME = "sha256=";

    private EnvelopeSignature() {}

    /** The signature of these fields under {@code key} (whose id is the envelope's key id). */
    public static String sign(SigningKey key, long timestamp, String nonce, String body) {
        byte[] mac =
                key.mac(
                        (key.keyId() + "\n" + timestamp + "\n" + nonce + "\n")
                                .getBytes(StandardCharsets.UTF_8),
                        body.getBytes(StandardCharsets.UTF_8));
        return SCHEME + HexFormat.of().formatHex(mac);
    }

    /** Whether {@code signature} is that of these fields under {@code key}, in constant time. */
    public static boolean matches(
            SigningKey key, long timestamp, String nonce, String body, String signature) {
        return signature != null
                && Hmac.equal(
                        sign(key, timestamp, nonce, body).getBytes(StandardCharsets.US_ASCII),
                        signature.getBytes(StandardCharsets.US_ASCII));
    }
}
