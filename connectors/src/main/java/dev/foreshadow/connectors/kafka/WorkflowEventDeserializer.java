package dev.foreshadow.connectors.kafka;

import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.json.EventDecoder;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes {@code workflow-events} inside the Kafka source, so that watermarks are generated per
 * partition from the events' own time. Never throws: a bad record becomes a {@link Decoded} dead
 * letter that keeps its bytes.
 */
public final class WorkflowEventDeserializer
        implements KafkaRecordDeserializationSchema<Decoded<WorkflowEvent>> {

    private static final long serialVersionUID = 1L;

    private final EventDecoder decoder;

    public WorkflowEventDeserializer(EventDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<Decoded<WorkflowEvent>> out) {
        String source = record.topic() + "/" + record.partition() + "@" + record.offset();
        out.collect(
                decoder.decode(
                        record.value(),
                        source,
                        Instant.ofEpochMilli(Math.max(0, record.timestamp()))));
    }

    @Override
    public TypeInformation<Decoded<WorkflowEvent>> getProducedType() {
        return TypeInformation.of(new TypeHint<Decoded<WorkflowEvent>>() {});
    }
}
