package dev.foreshadow.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.jobs.demo.DemoWorkload;
import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka outage costs time, not records: the broker that holds ShadowJob's input and its output
 * topics advertises itself behind a link that is cut for 30 s in the middle of a run with
 * exactly-once outputs (every connection of every client closed, new ones refused, as when the
 * broker stops). When the link is back the job goes on by itself (restarts allowed), and its
 * history and its committed anomalies and dead letters equal those of a run without an outage:
 * nothing lost, nothing doubled.
 */
class KafkaOutageITCase {

    private static final int EVENTS = 40_000;
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    @Timeout(900)
    void thirtySecondsWithoutTheBrokerLoseAndDoubleNothingAndTheJobCarriesOn(@TempDir Path dir)
            throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"), port);
                FaultyLink link =
                        new FaultyLink(
                                URI.create("kafka://" + stack.kafkaBootstrapServers()).getPort(),
                                port)) {
            // one partition of events and one subtask per operator: every operator sees its input
            // in one order, so the anomalies of both runs can be compared one for one
            stack.createTopics(List.of(Topics.WORKFLOW_EVENTS), 1);
            stack.createTopics(Topics.ALL, 2);
            List<DemoWorkload.Record> records = ShadowRuns.workload(EVENTS);
            ShadowRuns.publish(stack, Topics.WORKFLOW_EVENTS, records);

            run(stack, dir, "steady", null);
            run(stack, dir, "outage", link);

            ShadowRuns.assertSameHistory(stack, "steady", "outage");
            for (String topic : List.of("anomalies", "dead-letters")) {
                assertThat(ShadowRuns.committedIds(stack, topic + "-steady"))
                        .as(topic)
                        .isNotEmpty();
                ShadowRuns.assertSameCommitted(stack, topic, "steady", "outage");
            }
        }
    }

    /**
     * Runs ShadowJob with exactly-once outputs until it has read the topic; with a link, cuts it
     * for {@link #OUTAGE} once the first rows are stored.
     */
    private static void run(EmbeddedStack stack, Path dir, String name, FaultyLink link)
            throws Exception {
        Map<String, String> settings =
                ShadowRuns.settings(stack, name, Topics.WORKFLOW_EVENTS, null);
        settings.put("kafka.exactly-once", "true");
        Configuration conf = new Configuration();
        conf.setString("io.tmp.dirs", dir.resolve("flink-tmp").toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(1000);
        ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, settings))).build(env);
        JobClient job = env.executeAsync(ShadowJob.NAME + "-" + name);
        boolean[] cut = {link == null};
        int[] connections = {0};
        ShadowRuns.awaitCaughtUp(
                stack,
                job,
                name,
                Topics.WORKFLOW_EVENTS,
                () -> {
                    if (!cut[0] && ShadowRuns.storedSamples(stack, name) > 0) {
                        connections[0] = link.accepted();
                        link.cut();
                        Thread.sleep(OUTAGE.toMillis());
                        link.restore();
                        cut[0] = true;
                    }
                });
        assertThat(cut[0]).as("the outage happened before the topic was read").isTrue();
        if (link != null) {
            assertThat(connections[0])
                    .as("the clients reached the broker through the link")
                    .isPositive();
            assertThat(link.accepted())
                    .as("and came back through it after the outage")
                    .isGreaterThan(connections[0]);
        }
        ShadowRuns.stop(job, dir, name, true);
    }
}
