package dev.foreshadow.jobs.shadow;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the end-to-end tests of ShadowJob share: publishing, settings, waiting for a topic read. */
final class SavepointRuns {

    static final String GROUP = "savepoint-fixture";

    private SavepointRuns() {}

    static Map<String, String> stackSettings(EmbeddedStack stack) {
        return Map.of(
                "kafka.bootstrap-servers",
                stack.kafkaBootstrapServers(),
                "kafka.group-id",
                GROUP,
                "history.jdbc-url",
                stack.jdbcUrl(),
                "history.user",
                "postgres");
    }

    /** A MiniCluster configuration under {@code dir}, restoring {@code savepoint} when not null. */
    static Configuration flinkConf(Path dir, String savepoint) {
        Map<String, String> conf = new HashMap<>();
        conf.put("io.tmp.dirs", dir.resolve("flink-tmp").toString());
        if (savepoint != null) {
            conf.put("execution.state-recovery.path", savepoint);
        }
        return Configuration.fromMap(conf);
    }

    /** Publishes the events keyed by run, as the engine does (one run, one partition). */
    static void publish(EmbeddedStack stack, List<WorkflowEvent> events) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        stack.kafka().clientProperties(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            for (WorkflowEvent e : events) {
                producer.send(
                                new ProducerRecord<>(
                                        Topics.WORKFLOW_EVENTS,
                                        e.runId().getBytes(StandardCharsets.UTF_8),
                                        Json.bytes(e)))
                        .get();
            }
        }
    }

    /** Waits until a checkpoint has committed the offsets of every published event. */
    static void awaitConsumed(EmbeddedStack stack, JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!consumed(stack)) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                throw new IllegalStateException("job ended early: " + job.getJobStatus().get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("events not consumed within 120 s");
            }
            Thread.sleep(200);
        }
    }

    private static boolean consumed(EmbeddedStack stack) throws Exception {
        try (Admin admin = Admin.create(stack.kafka().clientProperties())) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                latest.put(new TopicPartition(Topics.WORKFLOW_EVENTS, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().entrySet().stream()
                    .allMatch(
                            e ->
                                    e.getValue().offset() == 0 // an empty partition has no offset
                                            || committed.containsKey(e.getKey())
                                                    && committed.get(e.getKey()).offset()
                                                            >= e.getValue().offset());
        }
    }
}
