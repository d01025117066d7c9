package dev.foreshadow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.kafka.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code foreshadow publish} against a real Kafka broker (KRaft), as a user runs it. */
class PublishCommandTest {

    @TempDir static Path dir;
    private static EmbeddedStack stack;

    private static final String FIRST =
            "{\"eventId\":\"e1\",\"type\":\"WORKFLOW_STARTED\",\"time\":\"2026-11-28T09:00:00Z\","
                    + "\"workflowType\":\"etl\",\"runId\":\"run-1\"}";
    private static final String NOT_JSON = "this line is not an event";
    private static final String LAST =
            "{\"eventId\":\"e2\",\"type\":\"WORKFLOW_STARTED\",\"time\":\"2026-11-28T09:00:20Z\","
                    + "\"workflowType\":\"etl\",\"runId\":\"run-2\"}";

    @BeforeAll
    static void startKafka() throws Exception {
        stack = EmbeddedStack.start(dir.resolve("stack"));
        stack.createTopics(Topics.ALL, 1);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        stack.close();
    }

    @Test
    void publishesEveryLineOfAFileUnchangedInOrderKeyedByRunIdAndPacedByEventTime()
            throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("events.jsonl"),
                        FIRST + "\n\n" + NOT_JSON + "\n" + LAST + "\n");
        String topic = topic();

        long began = System.nanoTime();
        Run run =
                run(
                        "publish",
                        "--bootstrap-servers",
                        stack.kafkaBootstrapServers(),
                        "--file",
                        file.toString(),
                        "--topic",
                        topic,
                        "--speed",
                        "10");
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("publishing 3 events to " + topic)
                .contains(
                        "published 3 events in",
                        "(1 without a readable time, sent unpaced: the job dead-letters them if invalid)");
        // 20 s of event time at 10 event-time seconds per second
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        List<ConsumerRecord<byte[], byte[]>> records = consume(topic, 3);
        assertThat(records)
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly(FIRST, NOT_JSON, LAST);
        assertThat(records)
                .extracting(
                        r -> r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("run-1", null, "run-2");
    }

    @Test
    void aTraceIsPublishedAsTheDemoReplaysItAndSaysHowManySamplesAJobStores() throws Exception {
        String topic = topic();

        Run run =
                run(
                        "publish",
                        "--bootstrap-servers",
                        stack.kafkaBootstrapServers(),
                        "--trace",
                        "bundled",
                        "--days",
                        "1",
                        "--runs-per-hour",
                        "1",
                        "--topic",
                        topic);

        assertThat(run.code()).as(run.err()).isZero();
        String published = run.out().replaceAll("(?s).*published ([0-9,]+) events.*", "$1");
        int events = Integer.parseInt(published.replace(",", ""));
        String ends = run.out().replaceAll("(?s).*\\n([0-9,]+) of them end an action.*", "$1");
        assertThat(Integer.parseInt(ends.replace(",", ""))).isPositive().isLessThan(events);
        assertThat(consume(topic, events)).hasSize(events);
    }

    @Test
    void aTopicThatDoesNotExistEndsWithOneLineThatSaysWhatToCheck() throws Exception {
        Path file = Files.writeString(dir.resolve("one.jsonl"), FIRST + "\n");
        // the client settings file also sets how long the producer waits for the topic
        Path client = Files.writeString(dir.resolve("client.properties"), "max.block.ms=2000\n");

        Run run =
                run(
                        "publish",
                        "--bootstrap-servers",
                        stack.kafkaBootstrapServers(),
                        "--file",
                        file.toString(),
                        "--topic",
                        "no-such-topic",
                        "--kafka-properties",
                        client.toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().strip().lines())
                .singleElement()
                .asString()
                .startsWith("foreshadow: Kafka did not take an event for no-such-topic")
                .endsWith(
                        "check that Kafka is reachable at "
                                + stack.kafkaBootstrapServers()
                                + " and that the topic no-such-topic exists");
    }

    private static String topic() throws Exception {
        String topic = "events-" + UUID.randomUUID();
        stack.createTopics(List.of(topic), 1);
        return topic;
    }

    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int n) {
        Properties p = stack.kafka().clientProperties();
        p.put("group.id", "test-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got.size() < n && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(got::add);
            }
        }
        return got;
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = Foreshadow.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
