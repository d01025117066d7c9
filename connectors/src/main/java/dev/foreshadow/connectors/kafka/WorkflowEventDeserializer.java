package dev.foreshadow.connectors.kafka;

import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.otlp.WorkflowRecordDecoder;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.time.Instant;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes {@code workflow-events} inside the Kafka source, so that watermarks are generated per
 * partition from the events' own time: foreshadow's JSON events, and OTLP trace exports from the
 * OpenTelemetry Collector, whose workflow spans become events. Never throws: a bad record becomes a
 * {@link Decoded} dead letter that keeps its bytes. Spans that belong to no workflow are counted
 * ({@code otlpSpansSkipped}).
 */
public final class WorkflowEventDeserializer
        implements KafkaRecordDeserializationSchema<Decoded<WorkflowEvent>> {

    private static final long serialVersionUID = 1L;

    private final WorkflowRecordDecoder decoder;
    private transient Counter skippedSpans;

    public WorkflowEventDeserializer(WorkflowRecordDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        skippedSpans = context.getMetricGroup().counter("otlpSpansSkipped");
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<Decoded<WorkflowEvent>> out) {
        String source = record.topic() + "/" + record.partition() + "@" + record.offset();
        int skipped =
                decoder.decode(
                        record.value(),
                        source,
                        Instant.ofEpochMilli(Math.max(0, record.timestamp())),
                        out::collect);
        if (skippedSpans != null) {
            skippedSpans.inc(skipped);
        }
    }

    @Override
    public TypeInformation<Decoded<WorkflowEvent>> getProducedType() {
        return TypeInformation.of(new TypeHint<Decoded<WorkflowEvent>>() {});
    }
}
