package dev.foreshadow.connectors.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.Anomaly;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** The sink as Flink ships it to the task managers. */
class WebhookSinkTest {

    private static final byte[] SECRET = "a-webhook-secret-of-32-bytes-len".getBytes(UTF_8);

    @Test
    void survivesJavaSerialisationWithADeliveryIdAndAFailureHandler() throws Exception {
        WebhookSink<Anomaly> sink =
                new WebhookSink<Anomaly>(new WebhookSettings("https://hooks.example.com/a", SECRET))
                        .withDeliveryId(Anomaly::anomalyId)
                        .withFailureHandler((record, deliveryId, reason) -> {});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sink);
        }

        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isInstanceOf(WebhookSink.class);
        }
    }

    @Test
    void showsTheEndpointButNotTheSecret() {
        WebhookSink<Anomaly> sink =
                new WebhookSink<>(new WebhookSettings("https://hooks.example.com/a", SECRET));

        assertThat(sink.toString())
                .contains("https://hooks.example.com")
                .doesNotContain(new String(SECRET, UTF_8));
    }
}
