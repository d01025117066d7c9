package dev.foreshadow.connectors.signing;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * One key of a {@link KeyRing}: its id, the tenant whose events it may sign (or any tenant), and
 * the secret. The secret never leaves this class except into a MAC: {@link #toString()} shows the
 * id and tenant only, and no error message holds it.
 */
public final class SigningKey implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The tenant of a key that may sign for every tenant. */
    public static final String ANY_TENANT = "*";

    /** Shortest secret accepted: the output length of SHA-256, as RFC 2104 advises. */
    public static final int MIN_SECRET_BYTES = 32;

    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String KEY_ID_RULE = "letters, digits, '.', '_' and '-', at most 64";

    private final String keyId;
    private final String tenant;
    private final byte[] secret;

    /** A key, or an error saying which of its parts is wrong (never showing the secret). */
    public SigningKey(String keyId, String tenant, byte[] secret) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("the key id may hold only " + KEY_ID_RULE);
        }
        if (tenant == null
                || tenant.isEmpty()
                || tenant.indexOf('/') >= 0
                || tenant.chars().anyMatch(c -> Character.isISOControl(c) || c == ' ')) {
            throw new IllegalArgumentException(
                    "the tenant may hold neither '/', spaces nor control characters");
        }
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "the secret is "
                            + (secret == null ? 0 : secret.length)
                            + " bytes, at least "
                            + MIN_SECRET_BYTES
                            + " are needed (openssl rand -base64 32)");
        }
        this.keyId = keyId;
        this.tenant = tenant;
        this.secret = secret.clone();
    }

    /** Whether {@code keyId} is a valid key id (as envelopes must carry it). */
    public static boolean isKeyId(String keyId) {
        return keyId != null && KEY_ID.matcher(keyId).matches();
    }

    public String keyId() {
        return keyId;
    }

    /** The tenant it signs for, or {@link #ANY_TENANT}. */
    public String tenant() {
        return tenant;
    }

    public boolean maySignFor(String eventTenant) {
        return tenant.equals(ANY_TENANT) || tenant.equals(eventTenant);
    }

    /** HMAC-SHA256 under this key of {@code parts}. */
    byte[] mac(byte[]... parts) {
        return Hmac.sha256(secret, parts);
    }

    @Override
    public String toString() {
        return "key " + keyId + " (tenant " + tenant + ")";
    }
}
