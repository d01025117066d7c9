package dev.foreshadow.connectors.signing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The signature of a webhook delivery, for the sender and for receivers: {@code sha256=} and the
 * hex HMAC-SHA256, keyed by the shared secret, of {@code "<timestamp>.<body>"}, where the timestamp
 * is the {@value #TIMESTAMP_HEADER} header (epoch seconds) and the body is the raw request body.
 *
 * <p>Signing the timestamp with the body lets a receiver reject old replays ({@link #verify(byte[],
 * long, byte[], String, Instant, Duration)}); {@value #DELIVERY_HEADER} lets it drop the duplicates
 * that retries produce.
 */
public final class WebhookSignature {

    public static final String SIGNATURE_HEADER = "X-Foreshadow-Signature";
    public static final String TIMESTAMP_HEADER = "X-Foreshadow-Timestamp";
    public static final String DELIVERY_HEADER = "X-Foreshadow-Delivery";

    private static final String PREFIX = "sha256=";

    private WebhookSignature() {}

    /**
     * The {@value #SIGNATURE_HEADER} value for {@code body} sent at {@code timestamp} (epoch
     * seconds).
     */
    public static String sign(byte[] secret, long timestamp, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(secret, timestamp, body));
    }

    /**
     * Whether {@code signature} is the signature of {@code body} at {@code timestamp}, compared in
     * constant time.
     */
    public static boolean verify(byte[] secret, long timestamp, byte[] body, String signature) {
        if (signature == null || !signature.startsWith(PREFIX)) {
            return false;
        }
        byte[] expected =
                HexFormat.of()
                        .formatHex(hmac(secret, timestamp, body))
                        .getBytes(StandardCharsets.US_ASCII);
        byte[] given =
                signature
                        .substring(PREFIX.length())
                        .toLowerCase(Locale.ROOT)
                        .getBytes(StandardCharsets.US_ASCII);
        return Hmac.equal(expected, given);
    }

    /**
     * As {@link #verify(byte[], long, byte[], String)}, and the timestamp is within {@code
     * tolerance} of now.
     */
    public static boolean verify(
            byte[] secret,
            long timestamp,
            byte[] body,
            String signature,
            Instant now,
            Duration tolerance) {
        return Math.abs(now.getEpochSecond() - timestamp) <= tolerance.toSeconds()
                && verify(secret, timestamp, body, signature);
    }

    private static byte[] hmac(byte[] secret, long timestamp, byte[] body) {
        return Hmac.sha256(secret, (timestamp + ".").getBytes(StandardCharsets.US_ASCII), body);
    }
}
