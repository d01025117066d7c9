package dev.foreshadow.connectors.signing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The webhook signature, as a receiver checks it. */
class WebhookSignatureTest {

    private static final byte[] SECRET = "0123456789abcdef".getBytes(UTF_8);
    private static final long SENT_AT = 1_700_000_000L;
    private static final byte[] BODY = "{\"kind\":\"retry-storm\"}".getBytes(UTF_8);

    @Test
    void signsTimestampDotBodyWithHmacSha256InHex() {
        // computed independently: python3 -c "hmac.new(key, b'1700000000.' + body,
        // hashlib.sha256).hexdigest()"
        assertThat(WebhookSignature.sign(SECRET, SENT_AT, BODY))
                .isEqualTo(
                        "sha256=c300f0283322a116ee323644915ab00014f895281c109ac451709bd4dfdbca66");
    }

    @Test
    void acceptsItsOwnSignature() {
        assertThat(
                        WebhookSignature.verify(
                                SECRET,
                                SENT_AT,
                                BODY,
                                WebhookSignature.sign(SECRET, SENT_AT, BODY)))
                .isTrue();
    }

    @Test
    void rejectsATamperedBodyAnotherTimestampAnotherSecretOrAMalformedHeader() {
        String signature = WebhookSignature.sign(SECRET, SENT_AT, BODY);
        byte[] tampered = "{\"kind\":\"none\"}".getBytes(UTF_8);

        assertThat(WebhookSignature.verify(SECRET, SENT_AT, tampered, signature)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, SENT_AT + 1, BODY, signature)).isFalse();
        assertThat(
                        WebhookSignature.verify(
                                "another-secret-of-16".getBytes(UTF_8), SENT_AT, BODY, signature))
                .isFalse();
        assertThat(
                        WebhookSignature.verify(
                                SECRET, SENT_AT, BODY, signature.substring("sha256=".length())))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, SENT_AT, BODY, null)).isFalse();
    }

    @Test
    void rejectsAValidSignatureOutsideTheToleratedClockSkew() {
        String signature = WebhookSignature.sign(SECRET, SENT_AT, BODY);
        Instant sent = Instant.ofEpochSecond(SENT_AT);
        Duration fiveMinutes = Duration.ofMinutes(5);

        assertThat(
                        WebhookSignature.verify(
                                SECRET,
                                SENT_AT,
                                BODY,
                                signature,
                                sent.plusSeconds(299),
                                fiveMinutes))
                .isTrue();
        assertThat(
                        WebhookSignature.verify(
                                SECRET,
                                SENT_AT,
                                BODY,
                                signature,
                                sent.plusSeconds(301),
                                fiveMinutes))
                .isFalse();
    }
}
