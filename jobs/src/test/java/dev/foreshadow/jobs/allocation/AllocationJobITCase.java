package dev.foreshadow.jobs.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.AllocationHistory;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.AllocationStatus;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.resources.simulated.SimulatedPool;
import dev.foreshadow.jobs.StackReads;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * AllocationJob end to end on a Flink MiniCluster with a real Kafka broker (KRaft), a real
 * PostgreSQL and a simulated VM pool whose smoke check is a real HTTP GET: a command, a dry run, a
 * replay of the command and three bad commands go in; the pool's instances are warmed, validated
 * and in service by the command's readyBy, the one whose smoke check fails is replaced, capacity is
 * given back after the floor expires; {@code allocation-status}, {@code allocation_events}, {@code
 * allocation_commands} and {@code dead-letters} hold exactly what is expected, and a second job
 * replaying every command changes nothing.
 */
class AllocationJobITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String POOL = "shop/orders";
    private static final String FAILING = POOL + "-2";

    @TempDir static Path runDir;
    private static EmbeddedStack stack;
    private static HttpServer smoke;

    @BeforeAll
    static void startStack() throws Exception {
        stack = EmbeddedStack.start(runDir.resolve("stack"));
        stack.createTopics(Topics.ALL, 2);
        try (Connection c = stack.postgres().connect()) {
            Migrations.apply(c);
        }
        stack.createJobLogins();
        // the smoke check every instance must pass: the second one requested is made to fail it
        smoke = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        smoke.createContext(
                "/smoke/",
                x -> {
                    boolean failing = x.getRequestURI().getPath().endsWith("/" + FAILING);
                    byte[] body =
                            (failing ? "cache not loaded" : "ok").getBytes(StandardCharsets.UTF_8);
                    x.sendResponseHeaders(failing ? 503 : 200, body.length);
                    x.getResponseBody().write(body);
                    x.close();
                });
        smoke.start();
    }

    @AfterAll
    static void stopStack() throws Exception {
        smoke.stop(0);
        stack.close();
    }

    /** The pool's settings, on the embedded stack's Kafka and PostgreSQL. */
    private static Map<String, String> settings(String groupId) {
        Map<String, String> s = new HashMap<>();
        s.put("history.flush-interval", "200 ms");
        s.put("allocation.group-id", groupId);
        s.put("allocation.pools", POOL);
        s.put("allocation.poll-interval", "200 ms");
        s.put("allocation.call-timeout", "10 s");
        String p = AllocationOptions.poolPrefix(POOL);
        s.put(p + "manager", "simulated");
        s.put(p + "simulated.boot-time", "1 s");
        s.put(p + "simulated.warm-up-time", "1 s");
        s.put(p + "simulated.failure-rate", "0");
        s.put(p + "min", "0");
        s.put(p + "max", "5");
        s.put(p + "cooldown", "2 s");
        s.put(p + "lead-time", "14 s");
        s.put(p + "validation.deadline", "20 s");
        s.put(
                p + "validation.http-get",
                "http://127.0.0.1:" + smoke.getAddress().getPort() + "/smoke/{instance}");
        s.put(p + "validation.expect-body", "ok");
        s.put(p + "validation.attempts", "1");
        return s;
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        return env;
    }

    @Test
    @Timeout(240)
    void warmsValidatesAndServesCapacityByReadyByReplacesAFailedWarmUpAndGivesItBack()
            throws Exception {
        SimulatedAllocation allocation =
                SimulatedAllocation.start(
                        environment(), stack, InstantSource.system(), settings("allocation-first"));
        JobClient job = allocation.job();
        waitUntil(
                "the job runs",
                Duration.ofSeconds(60),
                () -> job.getJobStatus().get().name().equals("RUNNING"));

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant readyBy = now.plusSeconds(20);
        AllocationCommand floor =
                new AllocationCommand(
                        "cmd-a",
                        POOL,
                        12,
                        0,
                        0,
                        2,
                        readyBy,
                        readyBy.plusSeconds(5),
                        List.of(),
                        0.9,
                        "forecast",
                        now,
                        false);
        AllocationCommand dryRun =
                new AllocationCommand(
                        "cmd-d",
                        POOL,
                        0,
                        0,
                        0,
                        4,
                        readyBy,
                        readyBy.plusSeconds(60),
                        List.of(),
                        0.9,
                        "forecast",
                        now,
                        true);
        List<byte[]> commands = new ArrayList<>();
        commands.add(Json.bytes(floor));
        commands.add(Json.bytes(dryRun));
        commands.add(Json.bytes(floor)); // a replay: changes nothing
        commands.add("{not json".getBytes(StandardCharsets.UTF_8));
        commands.add(
                Json.bytes(
                        new AllocationCommand(
                                "cmd-x",
                                "shop/nowhere",
                                1,
                                0,
                                0,
                                1,
                                readyBy,
                                readyBy.plusSeconds(5),
                                List.of(),
                                0.9,
                                "forecast",
                                now,
                                false)));
        commands.add(
                new String(Json.bytes(floor), StandardCharsets.UTF_8)
                        .replace("\"commandId\":\"cmd-a\"", "\"commandId\":\"cmd-n\"")
                        .replace("\"cores\":12.0", "\"cores\":-4")
                        .getBytes(StandardCharsets.UTF_8));
        publish(commands);

        waitUntil(
                "both serving instances are released after the floor expires",
                Duration.ofSeconds(90),
                () ->
                        StackReads.rows(
                                        stack,
                                        "SELECT count(*) FROM allocation_events WHERE rule = 'drained'")
                                .equals(List.of("2")));
        Thread.sleep(1000); // anything after the last change would show now
        job.cancel().get();

        assertThat(transitions(POOL + "-1"))
                .containsExactly(
                        "->requested floor",
                        "requested->provisioning observed",
                        "provisioning->warming observed",
                        "warming->ready validation",
                        "ready->in-service put-in-service",
                        "in-service->draining scale-in",
                        "draining->released drained");
        assertThat(transitions(FAILING))
                .containsExactly(
                        "->requested floor",
                        "requested->provisioning observed",
                        "provisioning->warming observed",
                        "warming->failed validation",
                        "failed->released release-failed");
        assertThat(transitions(POOL + "-3"))
                .containsExactly(
                        "->requested replace-failed",
                        "requested->provisioning observed",
                        "provisioning->warming observed",
                        "warming->ready validation",
                        "ready->in-service put-in-service",
                        "in-service->draining scale-in",
                        "draining->released drained");
        assertThat(
                        StackReads.rows(
                                stack,
                                "SELECT result FROM allocation_events WHERE instance_id = '"
                                        + FAILING
                                        + "' AND to_state = 'failed'"))
                .singleElement()
                .asString()
                .startsWith("smoke check: GET http://127.0.0.1:")
                .contains("/smoke/" + FAILING + " answered 503, expected 200");
        assertThat(
                        StackReads.rows(
                                stack,
                                "SELECT action || ' ' || rule || ' ' || coalesce(command_id, '-') || ' ' || result"
                                        + " FROM allocation_events WHERE action <> 'transition' ORDER BY time, action"))
                .containsExactlyInAnyOrder(
                        "command floor cmd-a floor of 2 instances ready by "
                                + readyBy
                                + " until "
                                + readyBy.plusSeconds(5)
                                + " (forecast), requested from "
                                + readyBy.minusSeconds(14),
                        "command dry-run cmd-d recorded, not applied: floor of 4 instances ready by "
                                + readyBy
                                + " until "
                                + readyBy.plusSeconds(60)
                                + " (forecast)",
                        "target floor cmd-a target 2 (was 0): the largest floor in force",
                        "request floor cmd-a requested 2 (the pool had 0 of 2): the floor of cmd-a",
                        "request replace-failed cmd-a requested 1 (the pool had 1 of 2): replacing 1 failed instance",
                        "ready-by ready-by cmd-a met: 2 of 2 ready by " + readyBy,
                        "expire expiry cmd-a floor of 2 ended at " + readyBy.plusSeconds(5),
                        "target expiry - target 0 (was 2): floors ended");
        assertThat(
                        StackReads.rows(
                                stack,
                                "SELECT instance_id FROM allocation_events WHERE to_state = 'in-service'"
                                        + " AND time <= '"
                                        + readyBy
                                        + "'::timestamptz ORDER BY instance_id"))
                .as("in service by the command's readyBy")
                .containsExactly(POOL + "-1", POOL + "-3");
        assertThat(StackReads.rows(stack, "SELECT count(*) FROM allocation_events"))
                .containsExactly("27");
        assertThat(
                        StackReads.rows(
                                stack,
                                "SELECT command_id || ' ' || dry_run || ' ' || instances FROM allocation_commands ORDER BY 1"))
                .containsExactly("cmd-a false 2", "cmd-d true 4");

        List<AllocationStatus> status =
                StackReads.consume(stack, Topics.ALLOCATION_STATUS, 27, Duration.ofSeconds(20))
                        .stream()
                        .map(v -> Json.read(v, AllocationStatus.class))
                        .toList();
        assertThat(status)
                .extracting(AllocationStatus::eventId)
                .containsExactlyInAnyOrderElementsOf(
                        StackReads.rows(stack, "SELECT event_id FROM allocation_events"));
        assertThat(
                        StackReads.consume(stack, Topics.DEAD_LETTERS, 3, Duration.ofSeconds(20))
                                .stream()
                                .map(v -> Json.read(v, DeadLetter.class).reason()))
                .containsExactlyInAnyOrder(
                        "command: not valid JSON (Unexpected character ('n' (code 110)): was expecting double-quote to start field name)",
                        "pool: 'shop/nowhere' is not a configured pool (allocation.pools: shop/orders)",
                        "cores: is negative (-4.0)");
        SimulatedPool pool = allocation.pool(POOL);
        assertThat(pool.warmedUp()).isEqualTo(2);
        assertThat(pool.failedWarmUps()).isEqualTo(1);
        assertThat(pool.observe().instances()).isEmpty();

        // a second job reading every command again (a replay after a restart) allocates nothing
        // and records nothing twice
        AllocationHistory.Summary summary = allocation.summary();
        assertThat(summary.commandsApplied()).isEqualTo(1);
        assertThat(summary.instancesWarmed()).isEqualTo(2);
        assertThat(summary.warmUpFailuresReplaced()).isEqualTo(1);
        assertThat(summary.instanceHours())
                .as(
                        "near the simulated pool's own count, which starts at the request rather than its sighting")
                .isCloseTo(
                        pool.instanceHours(),
                        org.assertj.core.api.Assertions.within(3 * 2.0 / 3600));

        StreamExecutionEnvironment again = environment();
        AllocationJob.of(
                        AllocationSettings.from(
                                AllocationSettings.load(
                                        null, onStack(settings("allocation-replay")))))
                .build(again);
        JobClient replay = again.executeAsync(AllocationJob.NAME);
        waitUntil(
                "the replay has read the commands",
                Duration.ofSeconds(60),
                () -> consumedEverything("allocation-replay"));
        Thread.sleep(2000);
        replay.cancel().get();
        assertThat(StackReads.rows(stack, "SELECT count(*) FROM allocation_events"))
                .containsExactly("27");
        assertThat(pool.observe().instances()).isEmpty();
        assertThat(pool.warmedUp() + pool.failedWarmUps()).isEqualTo(3);
        allocation.close();
    }

    private static Map<String, String> onStack(Map<String, String> s) {
        Map<String, String> all = new HashMap<>(s);
        all.put("kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        all.put("history.jdbc-url", stack.jdbcUrl());
        all.put("history.user", EmbeddedStack.ALLOCATION_LOGIN);
        return all;
    }

    /**
     * An instance's transitions in order: by time, then (one observation may show several)
     * lifecycle.
     */
    private static List<String> transitions(String instance) throws Exception {
        return StackReads.rows(
                stack,
                "SELECT coalesce(from_state, '') || '->' || to_state || ' ' || rule FROM allocation_events"
                        + " WHERE instance_id = '"
                        + instance
                        + "' AND action = 'transition' ORDER BY time,"
                        + " array_position(ARRAY['requested', 'provisioning', 'warming', 'ready', 'in-service',"
                        + " 'draining', 'failed', 'released'], to_state)");
    }

    private static boolean consumedEverything(String groupId) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin =
                org.apache.kafka.clients.admin.Admin.create(stack.kafka().clientProperties())) {
            var committed =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>
                    latest = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                latest.put(
                        new org.apache.kafka.common.TopicPartition(Topics.ALLOCATION_COMMANDS, p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().entrySet().stream()
                    .allMatch(
                            e ->
                                    e.getValue().offset() == 0 // an empty partition commits nothing
                                            || committed.containsKey(e.getKey())
                                                    && committed.get(e.getKey()).offset()
                                                            >= e.getValue().offset());
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(String what, Duration within, Condition c) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!c.holds()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static void publish(List<byte[]> values) throws Exception {
        Properties p = stack.kafka().clientProperties();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] v : values) {
                // one key: commands of a pool keep their order
                producer.send(
                                new ProducerRecord<>(
                                        Topics.ALLOCATION_COMMANDS,
                                        POOL.getBytes(StandardCharsets.UTF_8),
                                        v))
                        .get();
            }
        }
    }
}
