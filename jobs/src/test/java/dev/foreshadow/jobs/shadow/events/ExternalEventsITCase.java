package dev.foreshadow.jobs.shadow.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.external.ExternalEventSigner;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.SignedEnvelope;
import dev.foreshadow.connectors.signing.EnvelopeSignature;
import dev.foreshadow.connectors.signing.KeyRing;
import dev.foreshadow.connectors.signing.SigningKey;
import dev.foreshadow.jobs.StackReads;
import dev.foreshadow.jobs.cli.SignCommands;
import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed external events end to end, on a Flink MiniCluster with a real Kafka broker (KRaft) and a
 * real PostgreSQL: records printed by {@code foreshadow sign} (with the old and the new key of a
 * rotation) are published with the Kafka producer beside a forged, a replayed, an unsigned, a
 * stale, an unknown key's and an invalid one; ShadowJob stores the valid ones in {@code
 * external_events} once, and dead-letters the others with their reasons, again after a second job
 * replays the whole topic.
 */
class ExternalEventsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String OLD_KEY = "crm-2026-10";
    private static final String NEW_KEY = "crm-2026-11";
    private static final Instant NEXT_WEEK =
            Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.DAYS);

    @TempDir static Path runDir;
    private static EmbeddedStack stack;
    private static Path keyFile;

    @BeforeAll
    static void startStack() throws Exception {
        stack = EmbeddedStack.start(runDir.resolve("stack"));
        stack.createTopics(Topics.ALL, 2);
        try (Connection c = stack.postgres().connect()) {
            Migrations.apply(c);
        }
        stack.createJobLogins();
        keyFile =
                Files.write(
                        runDir.resolve("external-event-keys"),
                        List.of(
                                "# the CRM's keys while they rotate",
                                KeyRing.line(
                                        OLD_KEY,
                                        "shop",
                                        "the-crms-october-key-of-32-bytes".getBytes(UTF_8)),
                                KeyRing.line(
                                        NEW_KEY,
                                        "shop",
                                        "the-crms-november-key-of-32-byte".getBytes(UTF_8))));
    }

    @AfterAll
    static void stopStack() throws Exception {
        stack.close();
    }

    @Test
    @Timeout(240)
    void storesTheValidEventsOnceAndDeadLettersTheRestWithTheirReasonsAlsoAfterAReplay()
            throws Exception {
        String campaign = sign(event("black-friday", "campaign", 2.5), NEW_KEY);
        String forecast = sign(event("q4-forecast", "sales-forecast", 1.2), OLD_KEY);
        SignedEnvelope signed = Json.read(campaign.getBytes(UTF_8), SignedEnvelope.class);
        String forged =
                Json.string(
                        new SignedEnvelope(
                                signed.keyId(),
                                signed.timestamp(),
                                signed.nonce(),
                                signed.signature(),
                                signed.body().replace("\"magnitude\":2.5", "\"magnitude\":25")));
        KeyRing keys = KeyRing.read(keyFile, "test");
        SigningKey newKey = keys.key(NEW_KEY);
        String stale =
                record(
                        new ExternalEventSigner(
                                        newKey,
                                        InstantSource.fixed(
                                                Instant.now().minus(Duration.ofMinutes(10))))
                                .sign(event("stale", "traffic", 3), null));
        String unknownKey =
                record(
                        new ExternalEventSigner(
                                        new SigningKey("crm-2025", "shop", new byte[32]),
                                        InstantSource.system())
                                .sign(event("old-key", "campaign", 2), null));
        String invalid =
                record(
                        new ExternalEventSigner(newKey, InstantSource.system())
                                .signExactly(
                                        event("no-end", "campaign", 2)
                                                .replace(",\"end\"", ",\"ended\"")));
        publish(
                List.of(
                        campaign,
                        forecast,
                        forged,
                        campaign, // replayed
                        event("unsigned", "campaign", 2),
                        stale,
                        unknownKey,
                        invalid));

        runJobUntilConsumed("external-first");

        assertThat(
                        StackReads.rows(
                                stack,
                                "SELECT event_id || ':' || key_id || ':' || kind || ':' || magnitude FROM external_events ORDER BY event_id"))
                .containsExactly(
                        "black-friday:" + NEW_KEY + ":campaign:2.5",
                        "q4-forecast:" + OLD_KEY + ":sales-forecast:1.2");
        assertThat(
                        StackReads.rows(
                                stack,
                                "SELECT nonce FROM external_events WHERE event_id = 'black-friday'"))
                .containsExactly(signed.nonce());
        try (Connection c = stack.postgres().connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT key_id, extract(epoch FROM signed_at)::bigint, nonce, body, signature FROM external_events")) {
            while (rs.next()) {
                assertThat(
                                EnvelopeSignature.matches(
                                        keys.key(rs.getString(1)),
                                        rs.getLong(2),
                                        rs.getString(3),
                                        rs.getString(4),
                                        rs.getString(5)))
                        .as("a stored event verifies again with its key")
                        .isTrue();
            }
        }
        List<String> reasons =
                List.of(
                        "signature: does not match the record (altered, or not signed with key "
                                + NEW_KEY
                                + ")",
                        "nonce: "
                                + signed.nonce()
                                + " was already used by key "
                                + NEW_KEY
                                + " within external-events.replay-window (PT10M): a replay",
                        "signature: is missing: an unsigned record (sign events with ./foreshadow sign)",
                        "stale",
                        "keyId: crm-2025 is not in external-events.key-file",
                        "body.end: is missing");
        List<DeadLetter> deadLetters =
                StackReads.deadLetters(stack, reasons.size(), Duration.ofSeconds(30));
        assertThat(deadLetters)
                .extracting(d -> d.reason().endsWith("): stale") ? "stale" : d.reason())
                .containsExactlyInAnyOrderElementsOf(reasons);
        assertThat(deadLetters)
                .allSatisfy(d -> assertThat(d.source()).startsWith(Topics.EXTERNAL_EVENTS + "/"));
        assertThat(deadLetters)
                .filteredOn(d -> d.reason().startsWith("nonce:"))
                .extracting(DeadLetter::payload)
                .containsExactly(campaign);

        // a second job reading the whole topic again (a replay) stores nothing twice, and rejects
        // the same records for the same reasons: their age is judged against the broker's time
        runJobUntilConsumed("external-replay");
        assertThat(StackReads.rows(stack, "SELECT count(*) FROM external_events"))
                .containsExactly("2");
        assertThat(StackReads.deadLetters(stack, 2 * reasons.size(), Duration.ofSeconds(30)))
                .extracting(d -> d.reason().endsWith("): stale") ? "stale" : d.reason())
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.Stream.concat(reasons.stream(), reasons.stream())
                                .toList());
    }

    /** An event of the shop's order-fulfilment next week, as an integrator writes it. */
    private static String event(String id, String kind, double magnitude) {
        return "{\"eventId\":\""
                + id
                + "\",\"tenant\":\"shop\",\"source\":\"crm\",\"kind\":\""
                + kind
                + "\",\"start\":\""
                + NEXT_WEEK
                + "\",\"end\":\""
                + NEXT_WEEK.plus(Duration.ofHours(12))
                + "\",\"magnitude\":"
                + magnitude
                + ",\"workflowTypes\":[\"order-fulfilment\"]}";
    }

    /** What {@code foreshadow sign --key-file F --key-id K} prints for {@code event}. */
    private static String sign(String event, String keyId) {
        return SignCommands.sign(
                event, List.of("sign", "--key-file", keyFile.toString(), "--key-id", keyId));
    }

    private static String record(SignedEnvelope s) {
        return new String(ExternalEventSigner.record(s), UTF_8);
    }

    /** Runs ShadowJob until its consumer group has read all of external-events, then drains it. */
    private static void runJobUntilConsumed(String groupId) throws Exception {
        Map<String, String> conf = new HashMap<>();
        conf.put("kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        conf.put("kafka.group-id", groupId);
        conf.put("history.jdbc-url", stack.jdbcUrl());
        conf.put("history.user", EmbeddedStack.SHADOW_LOGIN);
        conf.put("history.flush-interval", "200 ms");
        conf.put("external-events.key-file", keyFile.toString());
        conf.put("watermark.idleness", "60 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        // offsets are committed on checkpoints: how the test knows all was read
        env.enableCheckpointing(300);
        ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, conf))).build(env);
        JobClient job = env.executeAsync(ShadowJob.NAME);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!consumedEverything(groupId)) {
            assertThat(job.getJobStatus().get().isGloballyTerminalState())
                    .as("job ended early")
                    .isFalse();
            assertThat(System.nanoTime()).as("external events read in time").isLessThan(deadline);
            Thread.sleep(200);
        }
        job.stopWithSavepoint(
                        true,
                        runDir.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL)
                .get();
        job.getJobExecutionResult().get();
    }

    private static boolean consumedEverything(String groupId) throws Exception {
        try (Admin admin = Admin.create(stack.kafka().clientProperties())) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                latest.put(new TopicPartition(Topics.EXTERNAL_EVENTS, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().entrySet().stream()
                    .allMatch(
                            e ->
                                    e.getValue().offset() == 0
                                            || committed.containsKey(e.getKey())
                                                    && committed.get(e.getKey()).offset()
                                                            >= e.getValue().offset());
        }
    }

    private static void publish(List<String> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        stack.kafka().clientProperties(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            int i = 0;
            for (String r : records) {
                // spread over both partitions: a replay need not share its original's partition
                producer.send(
                                new ProducerRecord<>(
                                        Topics.EXTERNAL_EVENTS, i++ % 2, null, r.getBytes(UTF_8)))
                        .get();
            }
        }
    }
}
