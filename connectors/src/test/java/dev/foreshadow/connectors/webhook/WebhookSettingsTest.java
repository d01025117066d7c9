package dev.foreshadow.connectors.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook settings: what they reject, where the secret comes from, what they show. */
class WebhookSettingsTest {

    private static final String URL = "https://hooks.example.com/services/T0KEN?sig=query-token";
    private static final byte[] SECRET = "a-webhook-secret-of-32-bytes-len".getBytes(UTF_8);

    @TempDir Path dir;

    @Test
    void defaultsToFiveAttemptsHalfASecondToThirtySecondsOfBackoffAndATenSecondTimeout() {
        WebhookSettings s = new WebhookSettings(URL, SECRET);

        assertThat(s.maxAttempts()).isEqualTo(5);
        assertThat(s.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void rejectsANonHttpUrlNamingTheSetting() {
        assertThatThrownBy(() -> new WebhookSettings("ftp://hooks.example.com/alerts", SECRET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "anomaly.webhook.url must be an http:// or https:// URL, got scheme 'ftp'");
        assertThatThrownBy(() -> new WebhookSettings("hooks.example.com/alerts", SECRET))
                .hasMessageStartingWith("anomaly.webhook.url must be an http:// or https:// URL");
        assertThatThrownBy(() -> new WebhookSettings("https://hooks example.com/", SECRET))
                .hasMessageStartingWith("anomaly.webhook.url is not a valid URL")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> new WebhookSettings(null, SECRET))
                .hasMessage("anomaly.webhook.url is not set");
    }

    @Test
    void rejectsAShortOrMissingSecretNamingTheSetting() {
        assertThatThrownBy(() -> new WebhookSettings(URL, "fifteen-bytes!!".getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "anomaly.webhook.secret-file must hold at least 16 bytes of secret, got 15 bytes");
        assertThatThrownBy(() -> new WebhookSettings(URL, null))
                .hasMessage(
                        "anomaly.webhook.secret-file must hold at least 16 bytes of secret, got none");
    }

    @Test
    void rejectsAnEmptyRetryBudgetNamingTheSetting() {
        WebhookSettings s = new WebhookSettings(URL, SECRET);

        assertThatThrownBy(() -> s.withRetries(0, Duration.ofMillis(500), Duration.ofSeconds(1)))
                .hasMessage("anomaly.webhook.max-attempts must be at least 1, got 0");
        assertThatThrownBy(() -> s.withRequestTimeout(Duration.ZERO))
                .hasMessage("anomaly.webhook.request-timeout must be positive, got PT0S");
        assertThatThrownBy(() -> s.withRetries(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageStartingWith("anomaly.webhook.max-backoff");
    }

    @Test
    void readsTheSecretFileWithoutItsTrailingLineEnd() throws Exception {
        Path file =
                Files.write(
                        dir.resolve("webhook.secret"),
                        "a-webhook-secret-of-32-bytes-len\n".getBytes(UTF_8));

        WebhookSettings s = WebhookSettings.withSecretFile(URL, file);

        assertThat(s.secret()).isEqualTo(SECRET);
    }

    @Test
    void rejectsAMissingOrShortSecretFileNamingTheSetting() throws Exception {
        Path missing = dir.resolve("absent.secret");
        Path tooShort = Files.write(dir.resolve("short.secret"), "short\n".getBytes(UTF_8));

        assertThatThrownBy(() -> WebhookSettings.withSecretFile(URL, missing))
                .hasMessageStartingWith("cannot read anomaly.webhook.secret-file " + missing);
        assertThatThrownBy(() -> WebhookSettings.withSecretFile(URL, tooShort))
                .hasMessage(
                        "anomaly.webhook.secret-file must hold at least 16 bytes of secret, got 5 bytes");
    }

    @Test
    void rejectsAMissingEnvironmentVariableNamingIt() {
        assertThatThrownBy(
                        () ->
                                WebhookSettings.withSecretFromEnvironment(
                                        URL, "FORESHADOW_TEST_NO_SUCH_VARIABLE"))
                .hasMessage(
                        "anomaly.webhook.secret-file is not set and environment variable "
                                + "FORESHADOW_TEST_NO_SUCH_VARIABLE is empty or missing");
    }

    @Test
    void showsNeitherTheSecretNorTheUrlPathAndQuery() {
        String shown = new WebhookSettings(URL, SECRET).toString();

        assertThat(shown)
                .contains("https://hooks.example.com")
                .doesNotContain("T0KEN", "query-token", new String(SECRET, UTF_8));
    }

    @Test
    void survivesJavaSerialisationAsFlinkShipsIt() throws Exception {
        WebhookSettings s =
                new WebhookSettings(URL, SECRET).withRequestTimeout(Duration.ofSeconds(3));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }

        WebhookSettings copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (WebhookSettings) in.readObject();
        }

        assertThat(copy.url()).isEqualTo(s.url());
        assertThat(copy.secret()).isEqualTo(SECRET);
        assertThat(copy.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
    }
}
