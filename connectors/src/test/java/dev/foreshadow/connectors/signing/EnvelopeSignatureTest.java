package dev.foreshadow.connectors.signing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The signature of a signed external event, as any sender computes it. */
class EnvelopeSignatureTest {

    private static final SigningKey KEY =
            new SigningKey(
                    "campaigns-1", "shop", "0123456789abcdef0123456789abcdef".getBytes(UTF_8));
    private static final String BODY = "{\"eventId\":\"e-1\",\"note\":\"café\"}";

    @Test
    void signsKeyIdTimestampNonceAndBodyWithHmacSha256InHex() {
        // computed independently: python3 -c "hmac.new(key, b'campaigns-1\n1700000000\n'
        // b'nonce-0123456789abcdef\n' + body.encode(), hashlib.sha256).hexdigest()"
        assertThat(EnvelopeSignature.sign(KEY, 1_700_000_000L, "nonce-0123456789abcdef", BODY))
                .isEqualTo(
                        "sha256=324928999bdb50a0a493f57285c5b80d8322b9cd876237e0c43ae15ab673c46a");
    }

    @Test
    void matchesOnlyTheSignatureOfTheSameFieldsUnderTheSameKey() {
        String s = EnvelopeSignature.sign(KEY, 1_700_000_000L, "nonce-0123456789abcdef", BODY);
        SigningKey other =
                new SigningKey(
                        "campaigns-1", "shop", "another-secret-of-thirty-two-byt".getBytes(UTF_8));

        assertThat(
                        EnvelopeSignature.matches(
                                KEY, 1_700_000_000L, "nonce-0123456789abcdef", BODY, s))
                .isTrue();
        assertThat(
                        EnvelopeSignature.matches(
                                KEY, 1_700_000_001L, "nonce-0123456789abcdef", BODY, s))
                .isFalse();
        assertThat(
                        EnvelopeSignature.matches(
                                KEY, 1_700_000_000L, "nonce-0123456789abcdeF", BODY, s))
                .isFalse();
        assertThat(
                        EnvelopeSignature.matches(
                                KEY, 1_700_000_000L, "nonce-0123456789abcdef", BODY + " ", s))
                .isFalse();
        assertThat(
                        EnvelopeSignature.matches(
                                other, 1_700_000_000L, "nonce-0123456789abcdef", BODY, s))
                .isFalse();
        assertThat(
                        EnvelopeSignature.matches(
                                KEY, 1_700_000_000L, "nonce-0123456789abcdef", BODY, null))
                .isFalse();
    }
}
