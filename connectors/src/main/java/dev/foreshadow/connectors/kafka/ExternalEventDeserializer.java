package dev.foreshadow.connectors.kafka;

import dev.foreshadow.connectors.external.ExternalEventVerifier;
import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.json.Rejected;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.VerifiedEvent;
import java.time.Instant;
import java.time.InstantSource;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;

/**
 * Authenticates and validates {@code external-events} inside the Kafka source ({@link
 * ExternalEventVerifier}), so that nothing unauthenticated goes further than the source and a
 * rejected record, which carries no event time, never moves the watermark. Never throws: a bad
 * record becomes a {@link Decoded} dead letter with the reason and its bytes.
 *
 * <p>A record's age is judged against the broker's append time when the topic stamps one ({@code
 * message.timestamp.type=LogAppendTime}, which a sender cannot choose), so a restart or a replay of
 * the topic judges every record as it was judged first; on a topic with producer timestamps, which
 * a sender sets freely, it is judged against this clock. That time is also the record's event time.
 * Metric: {@code externalEventsRejected}.
 */
public final class ExternalEventDeserializer
        implements KafkaRecordDeserializationSchema<Decoded<VerifiedEvent>> {

    private static final long serialVersionUID = 1L;

    private final ExternalEventVerifier verifier;
    private final InstantSource clock;
    private transient Counter rejected;

    public ExternalEventDeserializer(ExternalEventVerifier verifier, InstantSource clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        rejected = context.getMetricGroup().counter("externalEventsRejected");
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<Decoded<VerifiedEvent>> out) {
        String origin = record.topic() + "/" + record.partition() + "@" + record.offset();
        Instant receivedAt =
                record.timestampType() == TimestampType.LOG_APPEND_TIME
                        ? Instant.ofEpochMilli(record.timestamp())
                        : clock.instant();
        try {
            out.collect(
                    Decoded.ok(verifier.verify(record.value(), receivedAt, origin), receivedAt));
        } catch (Rejected e) {
            if (rejected != null) {
                rejected.inc();
            }
            out.collect(
                    Decoded.rejected(
                            DeadLetter.of(origin, e.getMessage(), receivedAt, record.value())));
        }
    }

    @Override
    public TypeInformation<Decoded<VerifiedEvent>> getProducedType() {
        return TypeInformation.of(new TypeHint<Decoded<VerifiedEvent>>() {});
    }
}
