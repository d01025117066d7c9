package dev.foreshadow.connectors.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.external.ExternalEventSigner;
import dev.foreshadow.connectors.external.ExternalEventVerifier;
import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.records.SignedEnvelope;
import dev.foreshadow.connectors.records.VerifiedEvent;
import dev.foreshadow.connectors.signing.KeyRing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The external-events source's deserializer: which time a record's age is judged against, and that
 * a rejected record becomes a dead letter with its bytes and no event time.
 */
class ExternalEventDeserializerTest {

    private static final Instant SIGNED = Instant.parse("2026-11-20T09:00:00Z");
    private static final String EVENT =
            "{\"eventId\":\"bf-1\",\"source\":\"crm\",\"kind\":\"campaign\","
                    + "\"start\":\"2026-11-27T00:00:00Z\",\"end\":\"2026-11-28T00:00:00Z\",\"magnitude\":2}";

    @TempDir Path dir;

    @Test
    void judgesAgeAgainstTheBrokersAppendTimeWhenTheTopicStampsOne() throws Exception {
        byte[] signed = signed();
        // the job's clock says an hour later: a replay of the topic long after it was written
        ExternalEventDeserializer d = deserializer(SIGNED.plus(Duration.ofHours(1)));

        Decoded<VerifiedEvent> out =
                one(d, record(signed, SIGNED.plusSeconds(3), TimestampType.LOG_APPEND_TIME));

        assertThat(out.isValid()).isTrue();
        assertThat(out.timestamp()).isEqualTo(SIGNED.plusSeconds(3));
        assertThat(out.value().receivedAt()).isEqualTo(SIGNED.plusSeconds(3));
        assertThat(out.value().origin()).isEqualTo("external-events/1@42");
        assertThat(out.value().original()).isEqualTo(signed);
    }

    @Test
    void judgesAgeAgainstItsOwnClockWhenTheSenderSetTheTimestamp() throws Exception {
        byte[] signed = signed();
        ExternalEventDeserializer d = deserializer(SIGNED.plus(Duration.ofHours(1)));

        // a producer timestamp proves nothing: whoever replays a record sets it as they like
        Decoded<VerifiedEvent> out =
                one(d, record(signed, SIGNED.plusSeconds(3), TimestampType.CREATE_TIME));

        assertThat(out.isValid()).isFalse();
        assertThat(out.timestamp()).as("a dead letter never moves the watermark").isNull();
        assertThat(out.deadLetter().reason()).endsWith("): stale");
        assertThat(out.deadLetter().source()).isEqualTo("external-events/1@42");
        assertThat(out.deadLetter().originalBytes()).isEqualTo(signed);
    }

    private byte[] signed() throws Exception {
        KeyRing ring = ring();
        SignedEnvelope s =
                new ExternalEventSigner(ring.key("platform"), InstantSource.fixed(SIGNED))
                        .sign(EVENT, null);
        return ExternalEventSigner.record(s);
    }

    private KeyRing ring() throws Exception {
        Path file =
                Files.write(
                        dir.resolve("keys"),
                        List.of(
                                KeyRing.line(
                                        "platform",
                                        "*",
                                        "the-platform-teams-32-byte-secrt".getBytes(UTF_8))));
        return KeyRing.read(file, "external-events.key-file");
    }

    private ExternalEventDeserializer deserializer(Instant now) throws Exception {
        return new ExternalEventDeserializer(
                new ExternalEventVerifier(ring(), Duration.ofMinutes(5), Duration.ofMinutes(1)),
                InstantSource.fixed(now));
    }

    private static ConsumerRecord<byte[], byte[]> record(
            byte[] value, Instant timestamp, TimestampType type) {
        return new ConsumerRecord<>(
                Topics.EXTERNAL_EVENTS,
                1,
                42,
                timestamp.toEpochMilli(),
                type,
                -1,
                value.length,
                null,
                value,
                new RecordHeaders(),
                Optional.empty());
    }

    private static Decoded<VerifiedEvent> one(
            ExternalEventDeserializer d, ConsumerRecord<byte[], byte[]> r) throws Exception {
        List<Decoded<VerifiedEvent>> out = new ArrayList<>();
        d.deserialize(
                r,
                new Collector<>() {
                    @Override
                    public void collect(Decoded<VerifiedEvent> v) {
                        out.add(v);
                    }

                    @Override
                    public void close() {}
                });
        assertThat(out).hasSize(1);
        return out.get(0);
    }
}
