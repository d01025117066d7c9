package dev.foreshadow.connectors.signing;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one place foreshadow computes a message authentication code: HMAC-SHA256 (RFC 2104 with
 * SHA-256, FIPS 198-1) over the concatenation of some byte strings, and the constant-time
 * comparison that checks one. Used by webhook deliveries, signed external events and the
 * pseudonymisation of attributes.
 */
public final class Hmac {

    private static final String ALGORITHM = "HmacSHA256";

    private Hmac() {}

    /** HMAC-SHA256 under {@code key} of {@code parts}, one after the other. */
    public static byte[] sha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    /**
     * Whether {@code a} and {@code b} are equal, in time that depends on their lengths only, so a
     * forger learns nothing from how long a comparison took.
     */
    public static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
