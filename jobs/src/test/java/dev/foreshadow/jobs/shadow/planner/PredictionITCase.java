package dev.foreshadow.jobs.shadow.planner;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.history.ModelRegistry;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.Security;
import dev.foreshadow.connectors.records.SignedEnvelope;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.connectors.signing.KeyRing;
import dev.foreshadow.jobs.StackReads;
import dev.foreshadow.jobs.cli.SignCommands;
import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import dev.foreshadow.models.forecast.ModelArtifacts;
import dev.foreshadow.models.forecast.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prediction end to end, on a Flink MiniCluster with a real Kafka broker (KRaft) and a real
 * PostgreSQL: two days of checkout runs with a daily cycle, a model registered for checkout, then a
 * campaign signed with {@code foreshadow sign} (announced a day ahead, doubling checkout's arrivals
 * for an hour) beside a forged and a replayed copy, then a new model version, then the rest of the
 * history, the campaign's hour included. ShadowJob's planner commands capacity for the campaign's
 * pool (a configured one, {@link #POOL}) ready before the campaign's demand rises (the runs in
 * flight part of its demand), the forged and replayed copies are dead-lettered, and the new version
 * forecasts from the moment it is registered, without a restart.
 */
class PredictionITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final long STEP = Duration.ofMinutes(5).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final String KEY_ID = "crm-2026-11";

    /** The configured pool checkout runs in. */
    private static final String POOL = "checkout-web";

    /** The campaign's start: a bucket boundary at least an hour ago, so its hour is history. */
    private static final Instant CAMPAIGN =
            Instant.ofEpochMilli(
                    Math.floorDiv(Instant.now().minus(Duration.ofHours(1)).toEpochMilli(), STEP)
                            * STEP);

    private static final Instant FIRST = CAMPAIGN.minus(Duration.ofDays(2));

    /** Where the history is split: the new model version is registered in between. */
    private static final Instant NEW_VERSION_AT = CAMPAIGN.minus(Duration.ofHours(12));

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
        keyFile =
                Files.write(
                        runDir.resolve("external-event-keys"),
                        List.of(
                                KeyRing.line(
                                        KEY_ID,
                                        "shop",
                                        "the-crms-november-key-of-32-byte".getBytes(UTF_8))));
    }

    @AfterAll
    static void stopStack() throws Exception {
        stack.close();
    }

    @Test
    @Timeout(420)
    void commandsForTheCampaignsPoolArriveBeforeItsDemandRises() throws Exception {
        ModelRegistry registry = new ModelRegistry(stack.postgres(), InstantSource.system());
        register(registry, "snaive288");
        List<WorkflowEvent> history = history();
        JobClient job = startJob();
        try {
            // an event on each external-events partition first, for a type with no runs: the
            // source then has a watermark (the wall clock) from the start and never holds the
            // history back, so the job's event time is the history's throughout
            publishExternal(
                    List.of(
                            signedAnnouncement("newsletter-1"),
                            signedAnnouncement("newsletter-2")));
            publish(history, e -> e.time().isBefore(NEW_VERSION_AT));
            awaitRow(
                    "SELECT count(*) FROM forecasts WHERE workflow_type = 'checkout'"
                            + " AND model_version = 1 AND origin >= '"
                            + NEW_VERSION_AT.minus(Duration.ofHours(1))
                            + "'");

            String campaign =
                    SignCommands.sign(
                            campaign(),
                            List.of("sign", "--key-file", keyFile.toString(), "--key-id", KEY_ID));
            SignedEnvelope signed = Json.read(campaign.getBytes(UTF_8), SignedEnvelope.class);
            String forged =
                    Json.string(
                            new SignedEnvelope(
                                    signed.keyId(),
                                    signed.timestamp(),
                                    signed.nonce(),
                                    signed.signature(),
                                    signed.body()
                                            .replace("\"magnitude\":2.0", "\"magnitude\":20")));
            publishExternal(List.of(campaign, forged, campaign));
            register(registry, "snaive12");
            Thread.sleep(
                    3000); // the event is broadcast and the registry polled before what follows

            publish(history, e -> !e.time().isBefore(NEW_VERSION_AT));
            awaitRow(
                    "SELECT count(*) FROM allocation_commands WHERE pool = '"
                            + POOL
                            + "'"
                            + " AND issued_at >= '"
                            + CAMPAIGN.plus(Duration.ofMinutes(30))
                            + "'");
        } finally {
            job.cancel().get();
        }

        // the command issued a lead time (5 min) before the campaign is sized for it
        Instant before = CAMPAIGN.minus(Duration.ofMinutes(5));
        String today = command(before);
        String yesterday = command(before.minus(Duration.ofDays(1)));
        assertThat(today)
                .as(
                        "the command before the campaign: "
                                + StackReads.rows(
                                        stack,
                                        "SELECT issued_at || ' ' || rule || ' ' || instances || ' ' || basis::text FROM allocation_commands"
                                                + " WHERE command_id LIKE 'plan:%' AND issued_at BETWEEN '"
                                                + before.minus(Duration.ofMinutes(10))
                                                + "' AND '"
                                                + before
                                                + "' ORDER BY issued_at"))
                .startsWith("external-event:" + CAMPAIGN + ":");
        assertThat(yesterday).startsWith("forecast:");
        // the runs in flight at each plan (10 minutes long, so still running a lead time later)
        assertThat(
                        StackReads.rows(
                                stack,
                                "SELECT count(*) FROM allocation_commands WHERE pool = '"
                                        + POOL
                                        + "'"
                                        + " AND command_id LIKE 'plan:%' AND issued_at = '"
                                        + before
                                        + "' AND (basis->>'inFlightCores')::float8 > 0"))
                .as("the command before the campaign counts the runs in flight")
                .containsExactly("1");
        assertThat(instances(today))
                .as(
                        "the campaign's command against the same hour yesterday: "
                                + StackReads.rows(
                                        stack,
                                        "SELECT origin || ' ' || model || model_version::text || ' ' || mean[1:4]::text || ' ' || events::text FROM forecasts"
                                                + " WHERE origin BETWEEN '"
                                                + before.minus(Duration.ofMinutes(10))
                                                + "' AND '"
                                                + before
                                                + "' OR origin = '"
                                                + before.minus(Duration.ofDays(1))
                                                + "' ORDER BY origin")
                                + StackReads.rows(
                                        stack,
                                        "SELECT issued_at || ' ' || rule || ' ' || instances || ' ' || basis::text FROM allocation_commands"
                                                + " WHERE issued_at = '"
                                                + before
                                                + "'"))
                .isGreaterThan(instances(yesterday) + 1);
        assertThat(
                        StackReads.rows(
                                stack,
                                "SELECT DISTINCT model_version FROM forecasts WHERE workflow_type = 'checkout'"
                                        + " AND origin BETWEEN '"
                                        + NEW_VERSION_AT.minus(Duration.ofHours(6))
                                        + "' AND '"
                                        + NEW_VERSION_AT.minus(Duration.ofHours(1))
                                        + "'"))
                .containsExactly("1");
        assertThat(
                        StackReads.rows(
                                stack,
                                "SELECT DISTINCT model || ':' || model_version FROM forecasts WHERE workflow_type = 'checkout'"
                                        + " AND origin > '"
                                        + NEW_VERSION_AT.plus(Duration.ofHours(1))
                                        + "' AND origin <= '"
                                        + CAMPAIGN
                                        + "'"))
                .containsExactly("snaive12:2");
        assertThat(StackReads.deadLetters(stack, 2, Duration.ofSeconds(30)))
                .extracting(d -> d.reason().substring(0, d.reason().indexOf(':')))
                .containsExactlyInAnyOrder("signature", "nonce");
    }

    /** reason:readyBy:instances of the planner's command issued at {@code at}. */
    private static String command(Instant at) throws Exception {
        List<String> found =
                StackReads.rows(
                        stack,
                        "SELECT reason || ':' || to_char(ready_by AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                                + " || ':' || instances FROM allocation_commands"
                                + " WHERE pool = '"
                                + POOL
                                + "' AND command_id LIKE 'plan:%' AND issued_at = '"
                                + at
                                + "'");
        assertThat(found)
                .as(
                        "the command issued at "
                                + at
                                + "; near it: "
                                + StackReads.rows(
                                        stack,
                                        "SELECT issued_at || ' ' || command_id || ' ' || reason || ' ' || instances"
                                                + " FROM allocation_commands WHERE issued_at BETWEEN '"
                                                + at.minus(Duration.ofMinutes(20))
                                                + "' AND '"
                                                + at.plus(Duration.ofMinutes(20))
                                                + "' ORDER BY issued_at"))
                .hasSize(1);
        return found.get(0);
    }

    private static int instances(String command) {
        return Integer.parseInt(command.substring(command.lastIndexOf(':') + 1));
    }

    private static void register(ModelRegistry registry, String model) throws Exception {
        registry.register(
                "checkout",
                model,
                FIRST,
                NEW_VERSION_AT,
                "{\"mase\": 0.5, \"step_minutes\": 5}",
                ModelArtifacts.write(Models.byName(model)));
    }

    /**
     * Checkout runs from {@link #FIRST}: 2 to 10 a bucket over a daily cycle that peaks at the
     * campaign's start, twice as many in the campaign's hour; each a core for ten minutes.
     */
    private static List<WorkflowEvent> history() {
        List<WorkflowEvent> out = new ArrayList<>();
        int run = 0;
        for (long t = FIRST.toEpochMilli();
                t < CAMPAIGN.plus(Duration.ofMinutes(50)).toEpochMilli();
                t += STEP) {
            // the cycle peaks at the campaign's start, whatever the hour the test runs (the
            // campaign is placed by the wall clock; at a trough its few runs could not tell a
            // doubled hour from an ordinary one in whole instances)
            double phase =
                    2 * Math.PI * Math.floorMod(t - CAMPAIGN.toEpochMilli(), DAY) / DAY
                            + Math.PI / 2;
            int n = (int) Math.round(6 + 4 * Math.sin(phase));
            if (t >= CAMPAIGN.toEpochMilli()) {
                n *= 2;
            }
            for (int i = 0; i < n; i++) {
                Instant start = Instant.ofEpochMilli(t + i * STEP / n);
                Instant end = start.plus(Duration.ofMinutes(10));
                String id = "co-" + run++;
                out.add(
                        event(
                                id + "-s",
                                EventType.WORKFLOW_STARTED,
                                id,
                                null,
                                start,
                                ActionMetrics.NONE));
                out.add(
                        event(
                                id + "-1s",
                                EventType.ACTION_STARTED,
                                id,
                                "pay",
                                start,
                                ActionMetrics.NONE));
                out.add(
                        event(
                                id + "-1e",
                                EventType.ACTION_FINISHED,
                                id,
                                "pay",
                                end,
                                new ActionMetrics(
                                        600_000L, 600.0, 1.0, 1L << 30, 1000L, 1000L, 0L, 0L)));
                out.add(
                        event(
                                id + "-e",
                                EventType.WORKFLOW_FINISHED,
                                id,
                                null,
                                end,
                                ActionMetrics.NONE));
            }
        }
        out.sort(Comparator.comparing(WorkflowEvent::time));
        return out;
    }

    private static WorkflowEvent event(
            String id, EventType type, String run, String action, Instant at, ActionMetrics m) {
        return new WorkflowEvent(
                id,
                type,
                at,
                "shop",
                "checkout",
                run,
                action,
                action == null ? null : run + "-1",
                null,
                null,
                m,
                new Security("TLS1.3", List.of()),
                null,
                Map.of());
    }

    /** The campaign, announced a day before it starts. */
    /** A signed campaign for the type newsletter, which has no runs: it changes no forecast. */
    private static String signedAnnouncement(String eventId) throws Exception {
        return SignCommands.sign(
                "{\"eventId\":\""
                        + eventId
                        + "\",\"tenant\":\"shop\",\"source\":\"crm\",\"kind\":\"campaign\",\"start\":\""
                        + CAMPAIGN.plus(Duration.ofDays(1))
                        + "\",\"end\":\""
                        + CAMPAIGN.plus(Duration.ofDays(1)).plus(Duration.ofHours(1))
                        + "\",\"magnitude\":1.5,\"workflowTypes\":[\"newsletter\"]}",
                List.of("sign", "--key-file", keyFile.toString(), "--key-id", KEY_ID));
    }

    private static String campaign() {
        return "{\"eventId\":\"spring-sale\",\"tenant\":\"shop\",\"source\":\"crm\",\"kind\":\"campaign\",\"start\":\""
                + CAMPAIGN
                + "\",\"end\":\""
                + CAMPAIGN.plus(Duration.ofHours(1))
                + "\",\"magnitude\":2.0,\"workflowTypes\":[\"checkout\"],\"announcedAt\":\""
                + CAMPAIGN.minus(Duration.ofDays(1))
                + "\"}";
    }

    private static JobClient startJob() throws Exception {
        Map<String, String> conf = new HashMap<>();
        conf.put("kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        conf.put("kafka.group-id", "prediction");
        conf.put("history.jdbc-url", stack.jdbcUrl());
        conf.put("history.user", "postgres");
        conf.put("history.flush-interval", "200 ms");
        conf.put("external-events.key-file", keyFile.toString());
        // far longer than the pause between the two halves of the history, even on a loaded CI
        // machine: an idle workflow-events source would let the external events (stamped with the
        // wall clock) move the forecast's event time on, and the idle buckets would count as empty
        conf.put("watermark.idleness", "5 min");
        conf.put("forecast.registry-poll", "1 s");
        // checkout is planned in a configured pool, not in its default one
        conf.put("allocation.pools", POOL);
        conf.put("allocation.pool." + POOL + ".types", "shop/checkout");
        conf.put("allocation.pool." + POOL + ".max", "12");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, conf))).build(env);
        return env.executeAsync(ShadowJob.NAME);
    }

    private static void awaitRow(String countSql) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (Long.parseLong(StackReads.rows(stack, countSql).get(0)) == 0) {
            assertThat(System.nanoTime()).as("in time: " + countSql).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static void publish(List<WorkflowEvent> events, Predicate<WorkflowEvent> which)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        stack.kafka().clientProperties(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            for (WorkflowEvent e : events) {
                if (which.test(e)) {
                    producer.send(
                            new ProducerRecord<>(
                                    Topics.WORKFLOW_EVENTS,
                                    e.runId().getBytes(UTF_8),
                                    Json.bytes(e)));
                }
            }
            producer.flush();
        }
    }

    private static void publishExternal(List<String> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        stack.kafka().clientProperties(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            int i = 0;
            for (String r : records) {
                producer.send(
                                new ProducerRecord<>(
                                        Topics.EXTERNAL_EVENTS, i++ % 2, null, r.getBytes(UTF_8)))
                        .get();
            }
        }
    }
}
