package dev.foreshadow.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.demo.DemoWorkload;
import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
            List<DemoWorkload.Record> records = ShadowRuns.workload(EVENTS);
            ShadowRuns.publish(stack, Topics.WORKFLOW_EVENTS, records);

            MiniCluster cluster = cluster(dir, 1, 2);
            try {
                run(stack, cluster, "unbroken", false);
                run(stack, cluster, "broken", true);
            } finally {
                cluster.close();
            }

            assertThat(FAIL_AT).as("every failure was injected").isEmpty();
            ShadowRuns.assertSameHistory(stack, "unbroken", "broken");
            assertThat(
                            ShadowRuns.rows(
                                    stack,
                                    "broken",
                                    "SELECT count(DISTINCT run_id) = count(*) FROM workflow_runs"))
                    .as("one summary per run")
                    .containsExactly("t");
            for (String topic : List.of("anomalies", "dead-letters")) {
                ShadowRuns.assertSameCommitted(stack, topic, "unbroken", "broken");
            }
            assertThat(ShadowRuns.committedIds(stack, "anomalies-unbroken"))
                    .as("anomalies were sent")
                    .isNotEmpty();
            assertThat(records).hasSize(EVENTS);
        }
    }

    /** Runs ShadowJob over the whole topic, drains it and waits until it has ended. */
    private static void run(EmbeddedStack stack, MiniCluster cluster, String name, boolean failing)
            throws Exception {
        Map<String, String> s = ShadowRuns.settings(stack, name, Topics.WORKFLOW_EVENTS, null);
        s.put("kafka.exactly-once", "true");
        ShadowSettings settings = ShadowSettings.from(ShadowSettings.load(null, s));
        KafkaRecordDeserializationSchema<Decoded<WorkflowEvent>> events =
                ShadowJob.workflowEvents(settings);
        StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, 1);
        env.enableCheckpointing(1000);
        ShadowJob.of(settings, failing ? new FailingDecoder(events) : events).build(env);
        JobClient job = env.executeAsync(ShadowJob.NAME + "-" + name);
        AtomicBoolean taskManagerLost = new AtomicBoolean(!failing);
        ShadowRuns.awaitCaughtUp(
                stack,
                job,
                name,
                Topics.WORKFLOW_EVENTS,
                () -> {
                    if (!taskManagerLost.get() && DECODED.get() > 120_000 && FAIL_AT.size() == 1) {
                        cluster.terminateTaskManager(0).get();
                        cluster.startTaskManager();
                        taskManagerLost.set(true);
                    }
                });
        assertThat(taskManagerLost.get()).as("a TaskManager was lost").isTrue();
        ShadowRuns.stop(job, stack.runDir(), name, true);
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

    /**
     * A MiniCluster of {@code taskManagers} with {@code slots} each, restarting a failed job from
     * its last checkpoint after a second, up to 20 times.
     */
    static MiniCluster cluster(Path dir, int taskManagers, int slots) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        conf.setString("io.tmp.dirs", dir.resolve("flink-tmp").toString());
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(taskManagers)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        return cluster;
    }
}
