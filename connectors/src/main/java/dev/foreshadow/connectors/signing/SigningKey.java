package dev.foreshadow.connectors.signing;

import dev.foreshadow.connectors.json.Rejected;
import java.io.Serializable;

/**
 * One key of a {@link KeyRing}: its id, the tenant whose events it may sign (or any tenant), and
 * the secret. The secret never leaves this class except into a MAC: {@link #toString()} shows the
 * id and tenant only.
 */
public final class SigningKey implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The tenant column of a key that may sign for every tenant. */
    public static final String ANY_TENANT = "*";

    private final String keyId;
    private final String tenant;
    private final byte[] secret;

    SigningKey(String keyId, String tenant, byte[] secret) {
        this.keyId = keyId;
        this.tenant = tenant;
        this.secret = secret.clone();
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

    /** Rejects an event of {@code eventTenant} when this key may not sign for it. */
    public void requireTenant(String eventTenant) throws Rejected {
        if (!maySignFor(eventTenant)) {
            throw new Rejected(
                    "tenant: key "
                            + keyId
                            + " signs only events of tenant '"
                            + tenant
                            + "', this one is for '"
                            + eventTenant
                            + "'");
        }
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
