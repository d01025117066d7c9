package dev.foreshadow.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.history.PostgresSettings;
import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.ConsumerGroups;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.demo.DemoWorkload;
import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing doubled: ShadowJob reads 200k events of the demo's shape twice, once
 * unbroken and once with its source failing three times at chosen points (each time restarted from
 * its last checkpoint) and its TaskManager lost mid-run (and replaced by a new one), with
 * exactly-once Kafka outputs. Every history table, every output topic read with {@code
 * read_committed} and every anomaly (so every baseline and pattern that made them) is the same in
 * both.
 */
class ExactlyOnceITCase {

    private static final int EVENTS = 200_000;

    /**
     * Records the failing source has decoded, across its restarts (the MiniCluster is in-process).
     */
    private static final AtomicLong DECODED = new AtomicLong();

    /** The decode counts at which the failing source throws, once each. */
    private static final Set<Long> FAIL_AT =
            new ConcurrentSkipListSet<>(List.of(40_000L, 90_000L, 150_000L));

    @Test
    @Timeout(900)
    void aRunBrokenByFailuresAndALostTaskManagerStoresAndSendsWhatAnUnbrokenRunDoes(
            @TempDir Path dir) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"))) {
            // one partition and one subtask per operator: every operator sees its input in one
            // order, so the baselines, and the anomalies they give, are the same in both runs (with
            // more, the interleaving of channels differs from run to run, failures or not)
            stack.createTopics(List.of(Topics.WORKFLOW_EVENTS), 1);
            stack.createTopics(Topics.ALL, 2);
            List<String> outputs = new ArrayList<>();
            for (String run : List.of("unbroken", "broken")) {
                for (String topic : List.of("anomalies", "commands", "dead-letters")) {
                    outputs.add(topic + "-" + run);
                }
                createDatabase(stack, run);
            }
            stack.createTopics(outputs, 1);
            int published = publish(stack);

            MiniCluster cluster = cluster(dir);
            try {
                run(stack, cluster, "unbroken", false);
                run(stack, cluster, "broken", true);
            } finally {
                cluster.close();
            }

            assertThat(FAIL_AT).as("every failure was injected").isEmpty();
            for (String sql :
                    List.of(
                            "SELECT event_id FROM action_samples",
                            "SELECT run_id || ':' || status || ':' || actions || ':' || round(cost::numeric, 9)"
                                    + " FROM workflow_runs",
                            "SELECT bucket || ':' || workflow_type || ':' || action_type || ':' || count"
                                    + " || ':' || round(duration_p95_ms::numeric, 3) FROM action_stats",
                            "SELECT bucket || ':' || workflow_type || ':' || runs FROM arrivals",
                            "SELECT anomaly_id || ':' || round(score::numeric, 9) FROM anomalies")) {
                List<String> unbroken = rows(stack, "unbroken", sql);
                assertThat(unbroken).as(sql).isNotEmpty();
                assertThat(rows(stack, "broken", sql)).as(sql).containsExactlyElementsOf(unbroken);
            }
            assertThat(
                            rows(
                                    stack,
                                    "broken",
                                    "SELECT count(DISTINCT run_id) = count(*) FROM workflow_runs"))
                    .as("one summary per run")
                    .containsExactly("t");
            for (String topic : List.of("anomalies", "dead-letters")) {
                List<String> unbroken = ids(stack, topic + "-unbroken");
                List<String> broken = ids(stack, topic + "-broken");
                assertThat(new TreeSet<>(broken))
                        .as(topic + ": no duplicates")
                        .hasSize(broken.size());
                assertThat(broken).as(topic).containsExactlyInAnyOrderElementsOf(unbroken);
            }
            assertThat(ids(stack, "anomalies-unbroken")).as("anomalies were sent").isNotEmpty();
            assertThat(published).isGreaterThanOrEqualTo(EVENTS);
        }
    }

    /** Runs ShadowJob over the whole topic, drains it and waits until it has ended. */
    private static void run(EmbeddedStack stack, MiniCluster cluster, String name, boolean failing)
            throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        s.put("kafka.group-id", name);
        s.put("kafka.exactly-once", "true");
        s.put("topics.anomalies", "anomalies-" + name);
        s.put("topics.allocation-commands", "commands-" + name);
        s.put("topics.dead-letters", "dead-letters-" + name);
        s.put("history.jdbc-url", url(stack, name));
        s.put("history.user", "postgres");
        s.put("history.flush-interval", "500 ms");
        // every anomaly is also an alert: processing-time rate limits would differ between runs
        s.put("anomaly.alerts-per-minute", "1000000");
        s.put("anomaly.alert-burst", "1000000");
        // longer than any quiet spell: a source marked idle loses the final watermark of a drain
        s.put("watermark.idleness", "5 min");
        ShadowSettings settings = ShadowSettings.from(ShadowSettings.load(null, s));
        try (Connection c = new PostgresSettings(url(stack, name), "postgres", null).connect()) {
            Migrations.apply(c);
        }
        KafkaRecordDeserializationSchema<Decoded<WorkflowEvent>> events =
                ShadowJob.workflowEvents(settings);
        StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, 1);
        env.enableCheckpointing(1000);
        ShadowJob.of(settings, failing ? new FailingDecoder(events) : events).build(env);
        JobClient job = env.executeAsync(ShadowJob.NAME + "-" + name);
        boolean taskManagerLost = !failing;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (Admin admin = Admin.create(stack.kafka().clientProperties())) {
            while (!ConsumerGroups.caughtUp(admin, name, Topics.WORKFLOW_EVENTS)) {
                assertThat(job.getJobStatus().get().isGloballyTerminalState())
                        .as(name + " ended early")
                        .isFalse();
                assertThat(System.nanoTime())
                        .as(name + " read the topic in time")
                        .isLessThan(deadline);
                if (!taskManagerLost && DECODED.get() > 120_000 && FAIL_AT.size() == 1) {
                    cluster.terminateTaskManager(0).get();
                    cluster.startTaskManager();
                    taskManagerLost = true;
                }
                Thread.sleep(200);
            }
        }
        assertThat(taskManagerLost).isTrue();
        job.stopWithSavepoint(
                        true,
                        "file://" + stack.runDir().resolve("savepoints-" + name),
                        SavepointFormatType.CANONICAL)
                .get();
        job.getJobExecutionResult().get();
    }

    /** The workflow-events deserializer, throwing once at each of {@link #FAIL_AT}. */
    static final class FailingDecoder
            implements KafkaRecordDeserializationSchema<Decoded<WorkflowEvent>> {
        private static final long serialVersionUID = 1L;
        private final KafkaRecordDeserializationSchema<Decoded<WorkflowEvent>> inner;

        FailingDecoder(KafkaRecordDeserializationSchema<Decoded<WorkflowEvent>> inner) {
            this.inner = inner;
        }

        @Override
        public void open(
                org.apache.flink.api.common.serialization.DeserializationSchema
                                .InitializationContext
                        context)
                throws Exception {
            inner.open(context);
        }

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<Decoded<WorkflowEvent>> out)
                throws IOException {
            if (FAIL_AT.remove(DECODED.incrementAndGet())) {
                throw new IOException("injected failure at record " + DECODED.get());
            }
            inner.deserialize(record, out);
        }

        @Override
        public TypeInformation<Decoded<WorkflowEvent>> getProducedType() {
            return inner.getProducedType();
        }
    }

    private static MiniCluster cluster(Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        conf.setString("io.tmp.dirs", dir.resolve("flink-tmp").toString());
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .build());
        cluster.start();
        return cluster;
    }

    /** The demo's workload, its runs over the last days: 200k records or more. */
    private static int publish(EmbeddedStack stack) throws Exception {
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        List<DemoWorkload.Record> records =
                DemoWorkload.bundled(end.minus(Duration.ofDays(3)), end, 11, 20);
        Properties p = stack.kafka().clientProperties();
        p.put("linger.ms", "20");
        int n = Math.min(records.size(), EVENTS);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                DemoWorkload.Record r = records.get(i);
                producer.send(
                        new ProducerRecord<>(
                                Topics.WORKFLOW_EVENTS,
                                r.key().getBytes(StandardCharsets.UTF_8),
                                r.value()));
            }
        }
        return n;
    }

    /** The ids of an output topic's committed records, in the order read. */
    private static List<String> ids(EmbeddedStack stack, String topic) {
        Properties p = stack.kafka().clientProperties();
        p.put("group.id", "check-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            for (int empty = 0; empty < 4; ) {
                var records = c.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (var r : records) {
                    out.add(
                            topic.startsWith("anomalies")
                                    ? Json.read(r.value(), Anomaly.class).anomalyId()
                                    : Json.read(r.value(), DeadLetter.class).source()
                                            + " "
                                            + Json.read(r.value(), DeadLetter.class).reason());
                }
            }
        }
        return out;
    }

    private static void createDatabase(EmbeddedStack stack, String name) throws Exception {
        try (Connection c = stack.postgres().connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
    }

    private static String url(EmbeddedStack stack, String database) {
        return stack.jdbcUrl().replaceFirst("/postgres$", "/" + database);
    }

    private static List<String> rows(EmbeddedStack stack, String database, String sql)
            throws Exception {
        try (Connection c = new PostgresSettings(url(stack, database), "postgres", null).connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql + " ORDER BY 1")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
