package dev.foreshadow.connectors.kafka;

import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.privacy.AttributePolicy;
import dev.foreshadow.connectors.records.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a {@link DeadLetter} to {@code dead-letters} as JSON, keyed by its source, after the
 * privacy policy has redacted its reason and payload ({@link AttributePolicy#redact}): the one
 * place every dead letter of every job passes before it leaves the job, so a rejected event's
 * personal data never reaches the topic.
 */
final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final AttributePolicy policy;

    DeadLetterSerializer(String topic, AttributePolicy policy) {
        this.topic = topic;
        this.policy = policy;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        DeadLetter redacted = policy.redact(letter);
        return new ProducerRecord<>(
                topic,
                null,
                null,
                redacted.source() == null
                        ? null
                        : redacted.source().getBytes(StandardCharsets.UTF_8),
                Json.bytes(redacted));
    }
}
