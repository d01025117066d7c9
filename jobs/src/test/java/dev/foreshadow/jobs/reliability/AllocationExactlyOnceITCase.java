package dev.foreshadow.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.CommandDeserializer;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.resources.simulated.SimulatedCloud;
import dev.foreshadow.connectors.resources.simulated.SimulatedPool;
import dev.foreshadow.jobs.allocation.AllocationJob;
import dev.foreshadow.jobs.allocation.AllocationOptions;
import dev.foreshadow.jobs.allocation.AllocationSettings;
import dev.foreshadow.jobs.allocation.AllocationSinks;
import dev.foreshadow.models.lifecycle.InstanceObservation;
import dev.foreshadow.models.lifecycle.InstanceState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing doubled, nothing allocated twice: AllocationJob reads 4,000 commands for
 * four simulated pools (with replays, conflicting ids and invalid commands among them) twice, once
 * unbroken and once with its command source failing three times at chosen points (each time
 * restarted from its last checkpoint) and one of its two TaskManagers lost mid-run, with
 * exactly-once Kafka outputs. In the broken run {@code allocation-status} and {@code dead-letters}
 * (read with {@code read_committed}) and {@code allocation_events} hold each change once, every
 * instance's lifecycle has no gap, {@code allocation_commands} and the dead letters are the
 * unbroken run's, and the pools end as the unbroken run's do.
 */
class AllocationExactlyOnceITCase {

    private static final int COMMANDS = 4_000;
    private static final List<String> POOLS = List.of("eo/a", "eo/b", "eo/c", "eo/d");
    private static final String COMMANDS_TOPIC = "allocation-commands-eo";
    private static final int MAX = 10;

    /** Commands the source has decoded, across its restarts (the MiniCluster is in-process). */
    private static final AtomicLong DECODED = new AtomicLong();

    /** The decode counts at which the failing source throws, once each. */
    private static final Set<Long> FAIL_AT =
            new ConcurrentSkipListSet<>(List.of(1_000L, 2_200L, 3_400L));

    /** An instance's lifecycle order, to sort the transitions one observation shows. */
    private static final String LIFECYCLE =
            "array_position(ARRAY['requested', 'provisioning', 'warming', 'ready', 'in-service',"
                    + " 'draining', 'failed', 'released'], to_state)";

    @Test
    @Timeout(300)
    void aRunBrokenByFailuresAndALostTaskManagerRecordsEachChangeOnceAndEndsAsAnUnbrokenRun(
            @TempDir Path dir) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"))) {
            stack.createTopics(List.of(COMMANDS_TOPIC), 2);
            Map<String, Integer> targets = publishCommands(stack);

            // one slot each: the job (parallelism 2) runs on both, so losing either stops tasks
            MiniCluster cluster = ExactlyOnceITCase.cluster(dir, 2, 1);
            Map<String, List<String>> unbroken;
            Map<String, List<String>> broken;
            try {
                unbroken = run(stack, cluster, "unbroken", false, targets);
                broken = run(stack, cluster, "broken", true, targets);
            } finally {
                cluster.close();
            }
            assertThat(FAIL_AT).as("every failure was injected").isEmpty();

            assertThat(broken).as("the pools' instances").isEqualTo(unbroken);
            for (String sql :
                    List.of(
                            // the last state of each instance
                            "SELECT DISTINCT ON (instance_id) instance_id || ' ' || to_state"
                                    + " FROM allocation_events WHERE action = 'transition'"
                                    + " ORDER BY instance_id, time DESC, "
                                    + LIFECYCLE
                                    + " DESC",
                            // the last target of each pool (not what it was before: the
                            // commands between two observations are one retarget)
                            "SELECT DISTINCT ON (pool) pool || ' ' || split_part(result, ' (', 1)"
                                    + " FROM allocation_events"
                                    + " WHERE action = 'target' ORDER BY pool, time DESC",
                            "SELECT command_id || ' ' || rule || ' ' || result"
                                    + " FROM allocation_events WHERE action = 'command'",
                            "SELECT command_id || ' ' || issued_at || ' ' || instances"
                                    + " FROM allocation_commands")) {
                List<String> want =
                        ShadowRuns.rows(stack, "unbroken", "SELECT * FROM (" + sql + ") r");
                assertThat(want).as(sql).isNotEmpty();
                assertThat(ShadowRuns.rows(stack, "broken", "SELECT * FROM (" + sql + ") r"))
                        .as(sql)
                        .containsExactlyElementsOf(want);
            }
            ShadowRuns.assertSameCommitted(stack, "dead-letters", "unbroken", "broken");
            for (String run : List.of("unbroken", "broken")) {
                assertEachChangeOnce(stack, run);
            }
        }
    }

    /**
     * Asserts that run {@code name} stored each change once, sent each once and the same, and that
     * every instance went through its lifecycle without a gap.
     */
    private static void assertEachChangeOnce(EmbeddedStack stack, String name) throws Exception {
        List<String> stored =
                ShadowRuns.rows(stack, name, "SELECT event_id FROM allocation_events");
        assertThat(new TreeSet<>(stored))
                .as(name + ": each change stored once")
                .hasSize(stored.size());
        List<String> sent = ShadowRuns.committedIds(stack, "allocation-status-" + name);
        assertThat(new TreeSet<>(sent)).as(name + ": each change sent once").hasSize(sent.size());
        assertThat(sent)
                .as(name + ": sent what is stored")
                .containsExactlyInAnyOrderElementsOf(stored);
        // each instance's transitions, in order, chain: each starts where the one before ended
        List<String> gaps =
                ShadowRuns.rows(
                        stack,
                        name,
                        "SELECT instance_id || ' ' || coalesce(from_state, '') || '->' || to_state"
                                + " FROM (SELECT instance_id, from_state, to_state, lag(to_state)"
                                + " OVER (PARTITION BY instance_id ORDER BY time, "
                                + LIFECYCLE
                                + ") AS before FROM allocation_events WHERE action = 'transition') t"
                                + " WHERE from_state IS DISTINCT FROM before");
        assertThat(gaps).as(name + ": transitions that do not follow the one before").isEmpty();
    }

    /**
     * Runs AllocationJob until it has read every command and each pool has its target in service,
     * stops it with a savepoint (committing every output) and returns the pools' instances (id and
     * state), forgetting the pools so that the next run starts on empty ones.
     */
    private static Map<String, List<String>> run(
            EmbeddedStack stack,
            MiniCluster cluster,
            String name,
            boolean failing,
            Map<String, Integer> targets)
            throws Exception {
        ShadowRuns.database(stack, name, null);
        stack.createTopics(List.of("allocation-status-" + name, "dead-letters-" + name), 1);
        AllocationSettings settings =
                AllocationSettings.from(AllocationSettings.load(null, settings(stack, name)));
        StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, 2);
        // rows flushed to the history well before the next checkpoint: a failure loses some
        env.enableCheckpointing(1000);
        new AllocationJob(
                        settings.kafka()
                                .source(
                                        settings.commandsTopic(),
                                        settings.groupId(),
                                        new ThrottledDecoder(
                                                new CommandDeserializer(settings.job().input()),
                                                failing)),
                        AllocationSinks.of(settings),
                        settings)
                .build(env);
        JobClient job = env.executeAsync(AllocationJob.NAME + "-" + name);
        AtomicBoolean taskManagerLost = new AtomicBoolean(!failing);
        try {
            ShadowRuns.awaitCaughtUp(
                    stack,
                    job,
                    name,
                    COMMANDS_TOPIC,
                    () -> {
                        if (!taskManagerLost.get()
                                && DECODED.get() > 2_800
                                && FAIL_AT.size() == 1) {
                            cluster.terminateTaskManager(0).get();
                            cluster.startTaskManager();
                            taskManagerLost.set(true);
                        }
                    });
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!inService(targets)) {
                assertThat(System.nanoTime()).as(name + ": pools at target").isLessThan(deadline);
                Thread.sleep(200);
            }
            Thread.sleep(1000); // a change after the last one needed would show now
            assertThat(taskManagerLost.get()).as("a TaskManager was lost").isTrue();
            ShadowRuns.stop(job, stack.runDir(), name, false);
            Map<String, List<String>> instances = new TreeMap<>();
            for (String pool : POOLS) {
                instances.put(
                        pool,
                        SimulatedCloud.find(pool).orElseThrow().observe().instances().stream()
                                .map(i -> i.id() + " " + i.state().wireName())
                                .sorted()
                                .toList());
            }
            return instances;
        } finally {
            POOLS.forEach(SimulatedCloud::remove);
        }
    }

    /** Whether each pool has exactly its target in service, and nothing else alive. */
    private static boolean inService(Map<String, Integer> targets) {
        for (String pool : POOLS) {
            List<InstanceState> alive =
                    SimulatedCloud.find(pool).map(SimulatedPool::observe).stream()
                            .flatMap(o -> o.instances().stream())
                            .map(InstanceObservation::state)
                            .filter(state -> state != InstanceState.RELEASED)
                            .toList();
            if (alive.size() != targets.get(pool)
                    || !alive.stream().allMatch(state -> state == InstanceState.IN_SERVICE)) {
                return false;
            }
        }
        return true;
    }

    /** AllocationJob's settings for run {@code name}: its group, outputs and database. */
    private static Map<String, String> settings(EmbeddedStack stack, String name) {
        Map<String, String> s = new HashMap<>();
        s.put("kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        s.put("kafka.exactly-once", "true");
        s.put("topics.allocation-commands", COMMANDS_TOPIC);
        s.put("topics.allocation-status", "allocation-status-" + name);
        s.put("topics.dead-letters", "dead-letters-" + name);
        s.put("history.jdbc-url", ShadowRuns.url(stack, name));
        s.put("history.user", "postgres");
        s.put("history.flush-interval", "100 ms");
        s.put("allocation.group-id", name);
        s.put("allocation.pools", String.join(";", POOLS));
        s.put("allocation.poll-interval", "200 ms");
        s.put("allocation.call-timeout", "10 s");
        for (String pool : POOLS) {
            String p = AllocationOptions.poolPrefix(pool);
            s.put(p + "manager", "simulated");
            s.put(p + "simulated.boot-time", "1 s");
            s.put(p + "simulated.warm-up-time", "1 s");
            s.put(p + "simulated.failure-rate", "0");
            s.put(p + "min", "0");
            s.put(p + "max", String.valueOf(MAX));
            s.put(p + "cooldown", "2 s");
            // every floor is in force from the start and until after the run: the pools' targets
            // only grow, so their end state is the input's, however the run was broken
            s.put(p + "lead-time", "20 min");
            s.put(p + "prepare-ahead", "0 s");
            s.put(p + "validation.deadline", "20 s");
        }
        return s;
    }

    /**
     * Publishes the commands (each pool's on one partition, in order) and returns each pool's
     * largest floor. Among them: replays (duplicates, which change nothing), commands reusing the
     * id of an earlier one with other content (rejected by the reconciler), commands for an unknown
     * pool (rejected by validation) and with negative cores (rejected when decoded), each rejection
     * with its own reason, so that the dead letters can be compared one by one.
     */
    private static Map<String, Integer> publishCommands(EmbeddedStack stack) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant readyBy = now.plus(10, ChronoUnit.MINUTES);
        Random random = new Random(13);
        Map<String, Integer> targets = new HashMap<>();
        Map<String, List<AllocationCommand>> valid = new HashMap<>();
        Properties p = stack.kafka().clientProperties();
        p.put("linger.ms", "20");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < COMMANDS; i++) {
                int k = i % POOLS.size();
                String pool = POOLS.get(k);
                List<AllocationCommand> earlier =
                        valid.computeIfAbsent(pool, x -> new ArrayList<>());
                Instant issuedAt = now.minusSeconds(60).plusMillis(i);
                AllocationCommand c =
                        new AllocationCommand(
                                "cmd-" + i,
                                pool,
                                0,
                                0,
                                0,
                                // rising through the input, so that instances are requested,
                                // warmed and put in service all along, when the failures come
                                Math.max(1, (i + 1) * (2 * k + 3) / COMMANDS - random.nextInt(2)),
                                readyBy,
                                readyBy.plus(1, ChronoUnit.HOURS),
                                List.of(),
                                0.9,
                                "forecast",
                                issuedAt,
                                false);
                byte[] value;
                if (i % 10 == 9 && !earlier.isEmpty()) {
                    value = Json.bytes(earlier.get(earlier.size() - 1));
                } else if (i % 50 == 47 && earlier.size() > 3) {
                    AllocationCommand first = earlier.remove(earlier.size() - 3);
                    value =
                            Json.bytes(
                                    new AllocationCommand(
                                            first.commandId(),
                                            pool,
                                            0,
                                            0,
                                            0,
                                            first.instances(),
                                            readyBy.plusSeconds(1),
                                            first.expiresAt(),
                                            List.of(),
                                            0.9,
                                            "forecast",
                                            issuedAt,
                                            false));
                } else if (i % 89 == 88) {
                    value =
                            Json.bytes(
                                    new AllocationCommand(
                                            c.commandId(),
                                            "eo/nowhere-" + i,
                                            0,
                                            0,
                                            0,
                                            1,
                                            readyBy,
                                            c.expiresAt(),
                                            List.of(),
                                            0.9,
                                            "forecast",
                                            issuedAt,
                                            false));
                } else if (i % 97 == 96) {
                    value =
                            new String(Json.bytes(c), StandardCharsets.UTF_8)
                                    .replace("\"cores\":0.0", "\"cores\":-" + i)
                                    .getBytes(StandardCharsets.UTF_8);
                } else {
                    value = Json.bytes(c);
                    earlier.add(c);
                    targets.merge(pool, Math.min(MAX, c.instances()), Math::max);
                }
                producer.send(
                        new ProducerRecord<>(
                                COMMANDS_TOPIC,
                                k % 2,
                                pool.getBytes(StandardCharsets.UTF_8),
                                value));
            }
        }
        return targets;
    }

    /**
     * The commands' deserializer, slowed to about 500 commands a second per subtask so that the
     * failures come while instances are being requested, warmed and put in service; when failing,
     * it throws once at each of {@link #FAIL_AT}.
     */
    static final class ThrottledDecoder
            implements KafkaRecordDeserializationSchema<Decoded<AllocationCommand>> {
        private static final long serialVersionUID = 1L;
        private final KafkaRecordDeserializationSchema<Decoded<AllocationCommand>> inner;
        private final boolean failing;

        ThrottledDecoder(
                KafkaRecordDeserializationSchema<Decoded<AllocationCommand>> inner,
                boolean failing) {
            this.inner = inner;
            this.failing = failing;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            inner.open(context);
        }

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<Decoded<AllocationCommand>> out)
                throws IOException {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (failing && FAIL_AT.remove(DECODED.incrementAndGet())) {
                throw new IOException("injected failure at command " + DECODED.get());
            }
            inner.deserialize(record, out);
        }

        @Override
        public TypeInformation<Decoded<AllocationCommand>> getProducedType() {
            return inner.getProducedType();
        }
    }
}
