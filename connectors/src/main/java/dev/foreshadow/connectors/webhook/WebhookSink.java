package dev.foreshadow.connectors.webhook;

import dev.foreshadow.connectors.signing.WebhookSignature;
import java.io.Serializable;
import java.time.Instant;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

/**
 * A Flink sink that POSTs each record as JSON to a webhook, signed with {@link WebhookSignature}
 * and retried with exponential backoff and jitter on connection errors, timeouts, 429 and 5xx, up
 * to {@link WebhookSettings#maxAttempts()}. Up to {@value #MAX_IN_FLIGHT} deliveries per subtask
 * run at once, so receivers must not rely on order.
 *
 * <p>Input: any record {@code Json} can write (the job sends {@code Anomaly}). Output: one POST per
 * record with {@code Content-Type: application/json} and the {@value
 * WebhookSignature#TIMESTAMP_HEADER}, {@value WebhookSignature#SIGNATURE_HEADER} and {@value
 * WebhookSignature#DELIVERY_HEADER} headers. The delivery id is the same on every retry; by default
 * it is derived from the JSON body, so a record replayed after a restore keeps it too.
 *
 * <p>At-least-once: every checkpoint waits until the deliveries in flight have succeeded or given
 * up. A delivery that gives up never fails the job: it is logged at WARN with its id and JSON,
 * counted in {@code webhookDeliveryFailures}, and handed to the {@link FailureHandler}, if one is
 * set. Metrics: {@code webhookDeliveries}, {@code webhookRetries}, {@code webhookDeliveryFailures}.
 */
public final class WebhookSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    /**
     * Deliveries in flight per subtask; alerts are rare, so this only rides out one slow request.
     */
    public static final int MAX_IN_FLIGHT = 4;

    private final WebhookSettings settings;
    private final SerializableFunction<T, String> deliveryId;
    private final FailureHandler<T> onFailure;

    /**
     * Receives each record whose delivery gave up; called on a sender thread, so it must be quick
     * and thread-safe.
     */
    @FunctionalInterface
    public interface FailureHandler<T> extends Serializable {
        void failed(T record, String deliveryId, String reason);
    }

    public WebhookSink(WebhookSettings settings) {
        this(settings, null, null);
    }

    private WebhookSink(
            WebhookSettings settings,
            SerializableFunction<T, String> deliveryId,
            FailureHandler<T> onFailure) {
        if (settings == null) {
            throw new IllegalArgumentException("anomaly.webhook.url is not set");
        }
        this.settings = settings;
        this.deliveryId = deliveryId;
        this.onFailure = onFailure;
    }

    /**
     * The same sink, taking the delivery id from each record (for anomalies, {@code
     * Anomaly::anomalyId}).
     */
    public WebhookSink<T> withDeliveryId(SerializableFunction<T, String> deliveryId) {
        return new WebhookSink<>(settings, deliveryId, onFailure);
    }

    /** The same sink, also handing every record whose delivery gave up to {@code onFailure}. */
    public WebhookSink<T> withFailureHandler(FailureHandler<T> onFailure) {
        return new WebhookSink<>(settings, deliveryId, onFailure);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        ProcessingTimeService time = context.getProcessingTimeService();
        return new WebhookWriter<>(
                settings,
                deliveryId,
                onFailure,
                MAX_IN_FLIGHT,
                () -> Instant.ofEpochMilli(time.getCurrentProcessingTime()),
                WebhookWriter.Sleeper.THREAD,
                context.metricGroup());
    }

    @Override
    public String toString() {
        return "WebhookSink(" + settings + ")";
    }
}
