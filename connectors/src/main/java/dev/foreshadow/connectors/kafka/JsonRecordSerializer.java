package dev.foreshadow.connectors.kafka;

import dev.foreshadow.connectors.json.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.Function;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a record as JSON to one topic, keyed by a field of the record (so related records share a
 * partition).
 */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    /** Picks the Kafka key of a record; serialisable so that it travels with the job graph. */
    public interface KeyOf<T> extends Function {
        String keyOf(T record);
    }

    private final String topic;
    private final KeyOf<T> keyOf;

    public JsonRecordSerializer(String topic, KeyOf<T> keyOf) {
        this.topic = topic;
        this.keyOf = keyOf;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        String key = keyOf.keyOf(element);
        // no record timestamp: the producer stamps the send time (event times may be far in the
        // past on a replay)
        return new ProducerRecord<>(
                topic,
                null,
                null,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                Json.bytes(element));
    }
}
