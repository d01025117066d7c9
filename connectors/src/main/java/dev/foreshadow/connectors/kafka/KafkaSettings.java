package dev.foreshadow.connectors.kafka;

import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.privacy.AttributePolicy;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.VerifiedEvent;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * How to reach Kafka: bootstrap servers plus client properties (TLS, SASL/SCRAM, ...) read from a
 * file, so that secrets such as {@code sasl.jaas.config} never appear on a command line or in a
 * log. Builds the sources and sinks.
 */
public final class KafkaSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The broker's default {@code transaction.max.timeout.ms}: 15 minutes. */
    static final long TRANSACTION_TIMEOUT_MS = 15 * 60 * 1000L;

    private final String bootstrapServers;
    private final Map<String, String> clientProperties;

    public KafkaSettings(String bootstrapServers, Map<String, String> clientProperties) {
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = Map.copyOf(clientProperties);
    }

    /**
     * Settings with client properties from a {@code .properties} file, or none when {@code file} is
     * null.
     */
    public static KafkaSettings of(String bootstrapServers, Path file) {
        if (file == null) {
            return new KafkaSettings(bootstrapServers, Map.of());
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read kafka.properties-file " + file + ": " + e.getMessage());
        }
        Map<String, String> map = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
        return new KafkaSettings(bootstrapServers, map);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Client properties, bootstrap servers included, for plain Kafka clients (admin, producers of
     * the demo).
     */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    public KafkaSource<Decoded<VerifiedEvent>> externalEvents(
            String topic, String groupId, ExternalEventDeserializer deserializer) {
        return source(topic, groupId, deserializer);
    }

    /**
     * A source of one topic, from the group's committed offsets (the earliest for a new group),
     * decoding inside the source so that nothing it cannot decode stops the job.
     */
    public <T> KafkaSource<T> source(
            String topic, String groupId, KafkaRecordDeserializationSchema<T> deserializer) {
        Properties consumer = clientProperties();
        // an exactly-once writer's aborted records are never read
        consumer.putIfAbsent("isolation.level", "read_committed");
        return KafkaSource.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setProperties(consumer)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(deserializer)
                .build();
    }

    /**
     * The sink of {@code dead-letters}: each dead letter redacted by {@code policy} before it is
     * written ({@link DeadLetterSerializer}).
     */
    public KafkaSink<DeadLetter> deadLetterSink(
            String topic,
            AttributePolicy policy,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producerProperties())
                .setRecordSerializer(new DeadLetterSerializer(topic, policy))
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }

    public <T> KafkaSink<T> jsonSink(
            String topic,
            JsonRecordSerializer.KeyOf<T> keyOf,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producerProperties())
                .setRecordSerializer(new JsonRecordSerializer<>(topic, keyOf))
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }

    /** The client properties of every sink's producer. */
    private Properties producerProperties() {
        Properties producer = clientProperties();
        // Flink's default (1 h) is above a broker's default transaction.max.timeout.ms (15 min),
        // which refuses every transactional producer; the file may set it, within the broker's
        producer.putIfAbsent("transaction.timeout.ms", String.valueOf(TRANSACTION_TIMEOUT_MS));
        return producer;
    }
}
