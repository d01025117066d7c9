package dev.foreshadow.connectors.kafka;

import dev.foreshadow.connectors.json.CommandDecoder;
import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.json.InputLimits;
import dev.foreshadow.connectors.records.AllocationCommand;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes {@code allocation-commands} inside the Kafka source. Never throws: a bad record becomes a
 * {@link Decoded} dead letter that keeps its bytes and its {@code topic/partition@offset}.
 */
public final class CommandDeserializer
        implements KafkaRecordDeserializationSchema<Decoded<AllocationCommand>> {

    private static final long serialVersionUID = 1L;

    private final CommandDecoder decoder;

    /** A deserializer under the default {@link InputLimits}. */
    public CommandDeserializer() {
        this(InputLimits.defaults());
    }

    public CommandDeserializer(InputLimits limits) {
        this.decoder = new CommandDecoder(limits);
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<Decoded<AllocationCommand>> out) {
        String source = record.topic() + "/" + record.partition() + "@" + record.offset();
        out.collect(
                decoder.decode(
                        record.value(),
                        source,
                        Instant.ofEpochMilli(Math.max(0, record.timestamp()))));
    }

    @Override
    public TypeInformation<Decoded<AllocationCommand>> getProducedType() {
        return TypeInformation.of(new TypeHint<Decoded<AllocationCommand>>() {});
    }
}
