package dev.foreshadow.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.history.PostgresSettings;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.ConsumerGroups;
import dev.foreshadow.connectors.records.AllocationStatus;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.jobs.demo.DemoWorkload;
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
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the reliability tests share: the demo's workload, one database per run of the job, the
 * settings that make two runs of one input comparable, waiting for a topic to be read, stopping
 * with a savepoint, and comparing two runs' history tables and committed outputs.
 */
final class ShadowRuns {

    /** Each history table as one comparable line per row (scores rounded past float noise). */
    static final List<String> HISTORY =
            List.of(
                    "SELECT event_id FROM action_samples",
                    "SELECT run_id || ':' || status || ':' || actions || ':' || round(cost::numeric, 9)"
                            + " FROM workflow_runs",
                    "SELECT bucket || ':' || workflow_type || ':' || action_type || ':' || count"
                            + " || ':' || round(duration_p95_ms::numeric, 3) FROM action_stats",
                    "SELECT bucket || ':' || workflow_type || ':' || runs FROM arrivals",
                    "SELECT anomaly_id || ':' || round(score::numeric, 9) FROM anomalies");

    private ShadowRuns() {}

    /** The demo's workload over the last three days, its first {@code n} records. */
    static List<DemoWorkload.Record> workload(int n) {
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        List<DemoWorkload.Record> records =
                DemoWorkload.bundled(end.minus(Duration.ofDays(3)), end, 11, 20);
        return records.subList(0, Math.min(n, records.size()));
    }

    /** Publishes records keyed by run, as the engine does. */
    static void publish(EmbeddedStack stack, String topic, List<DemoWorkload.Record> records) {
        Properties p = stack.kafka().clientProperties();
        p.put("linger.ms", "20");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (DemoWorkload.Record r : records) {
                producer.send(
                        new ProducerRecord<>(
                                topic, r.key().getBytes(StandardCharsets.UTF_8), r.value()));
            }
        }
    }

    /**
     * The job's settings for a run named {@code name}: its own consumer group, output topics
     * suffixed by the name (created here, one partition each) and its own database (created and
     * migrated here, or copied from {@code template} when not null).
     */
    static Map<String, String> settings(
            EmbeddedStack stack, String name, String eventsTopic, String template)
            throws Exception {
        database(stack, name, template);
        stack.createTopics(
                List.of("anomalies-" + name, "commands-" + name, "dead-letters-" + name), 1);
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        s.put("kafka.group-id", name);
        s.put("topics.workflow-events", eventsTopic);
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
        return s;
    }

    /** Creates the database {@code name}: migrated, or a copy of {@code template} when not null. */
    static void database(EmbeddedStack stack, String name, String template) throws Exception {
        try (Connection c = stack.postgres().connect();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
        }
        if (template == null) {
            try (Connection c = connect(stack, name)) {
                Migrations.apply(c);
            }
        }
    }

    /**
     * Waits until the job's group has committed the end of {@code topic}, checking {@code
     * duringWait} each time (for failures to inject); fails if the job ends or takes 10 minutes.
     */
    static void awaitCaughtUp(
            EmbeddedStack stack, JobClient job, String group, String topic, Step duringWait)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (Admin admin = Admin.create(stack.kafka().clientProperties())) {
            while (!ConsumerGroups.caughtUp(admin, group, topic)) {
                check(() -> !job.getJobStatus().join().isGloballyTerminalState(), group + " ended");
                check(
                        () -> System.nanoTime() < deadline,
                        group + " did not read the topic in time");
                duringWait.run();
                Thread.sleep(200);
            }
        }
    }

    /** Something to do while waiting. */
    interface Step {
        void run() throws Exception;
    }

    private static void check(BooleanSupplier ok, String otherwise) {
        if (!ok.getAsBoolean()) {
            throw new AssertionError(otherwise);
        }
    }

    static String url(EmbeddedStack stack, String database) {
        return stack.jdbcUrl().replaceFirst("/postgres$", "/" + database);
    }

    private static Connection connect(EmbeddedStack stack, String database) throws Exception {
        return new PostgresSettings(url(stack, database), "postgres", null).connect();
    }

    /** The rows of {@code sql} (one column) in {@code database}, sorted. */
    static List<String> rows(EmbeddedStack stack, String database, String sql) throws Exception {
        try (Connection c = connect(stack, database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql + " ORDER BY 1")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** Asserts that run {@code actual} stored the history of run {@code expected}, row for row. */
    static void assertSameHistory(EmbeddedStack stack, String expected, String actual)
            throws Exception {
        for (String sql : HISTORY) {
            List<String> want = rows(stack, expected, sql);
            assertThat(want).as(expected + ": " + sql).isNotEmpty();
            assertThat(rows(stack, actual, sql))
                    .as(actual + ": " + sql)
                    .containsExactlyElementsOf(want);
        }
    }

    /**
     * Asserts that the committed records of {@code topic-actual} are those of {@code
     * topic-expected}, none twice ({@link #committedIds}).
     */
    static void assertSameCommitted(
            EmbeddedStack stack, String topic, String expected, String actual) {
        List<String> want = committedIds(stack, topic + "-" + expected);
        List<String> got = committedIds(stack, topic + "-" + actual);
        assertThat(new TreeSet<>(got)).as(topic + ": no duplicates").hasSize(got.size());
        assertThat(got).as(topic).containsExactlyInAnyOrderElementsOf(want);
    }

    /** The action samples {@code database} holds so far. */
    static int storedSamples(EmbeddedStack stack, String database) throws Exception {
        return Integer.parseInt(
                rows(stack, database, "SELECT count(*)::text FROM action_samples").get(0));
    }

    /**
     * Stops the job with a savepoint under {@code dir}, draining or not, waits until it has ended
     * and returns the savepoint.
     */
    static String stop(JobClient job, Path dir, String name, boolean drain) throws Exception {
        String taken =
                job.stopWithSavepoint(
                                drain,
                                dir.resolve("savepoints-" + name).toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        job.getJobExecutionResult().get();
        return taken;
    }

    /**
     * The ids of an output topic's committed records ({@code read_committed}), in the order read:
     * an anomaly's id, an allocation status's event id, a dead letter's source and reason.
     */
    static List<String> committedIds(EmbeddedStack stack, String topic) {
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
                                    : topic.startsWith("allocation-status")
                                            ? Json.read(r.value(), AllocationStatus.class).eventId()
                                            : Json.read(r.value(), DeadLetter.class).source()
                                                    + " "
                                                    + Json.read(r.value(), DeadLetter.class)
                                                            .reason());
                }
            }
        }
        return out;
    }
}
