package dev.foreshadow.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.jobs.demo.DemoWorkload;
import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rescaling keeps state: ShadowJob at parallelism 2 reads the first half of the demo's workload and
 * stops with a savepoint without draining (runs, windows and baselines mid-flight), then is
 * restored at parallelism 1 and at 4 to read the rest. Each restored run stores exactly what one
 * run at parallelism 2 over the whole input stores: every sample, one summary per run (those in
 * flight at the savepoint with every action), the statistics windows, the arrivals and the
 * anomalies with their scores, so every baseline moved whole to its new subtask.
 */
class RescaleITCase {

    private static final int EVENTS = 60_000;
    private static final String WHOLE = "events-whole";
    private static final String SPLIT = "events-split";

    @Test
    @Timeout(900)
    void aSavepointTakenAtParallelismTwoRestoresAtOneAndAtFourLosingNothing(@TempDir Path dir)
            throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"))) {
            stack.createTopics(Topics.ALL, 2);
            stack.createTopics(List.of(WHOLE, SPLIT), 4);
            List<DemoWorkload.Record> records = ShadowRuns.workload(EVENTS);
            assertThat(records).hasSize(EVENTS);
            ShadowRuns.publish(stack, WHOLE, records);
            ShadowRuns.publish(stack, SPLIT, records.subList(0, EVENTS / 2));

            run(stack, dir, ShadowRuns.settings(stack, "whole", WHOLE, null), 2, null, true);
            String savepoint =
                    run(
                            stack,
                            dir,
                            ShadowRuns.settings(stack, "first", SPLIT, null),
                            2,
                            null,
                            false);
            ShadowRuns.publish(stack, SPLIT, records.subList(EVENTS / 2, EVENTS));
            for (int parallelism : List.of(1, 4)) {
                String name = "at" + parallelism;
                run(
                        stack,
                        dir,
                        ShadowRuns.settings(stack, name, SPLIT, "first"),
                        parallelism,
                        savepoint,
                        true);
                ShadowRuns.assertSameHistory(stack, "whole", name);
            }

            String runs = "SELECT count(*)::text FROM workflow_runs";
            assertThat(Integer.parseInt(ShadowRuns.rows(stack, "first", runs).get(0)))
                    .as("runs were in flight at the savepoint")
                    .isLessThan(Integer.parseInt(ShadowRuns.rows(stack, "whole", runs).get(0)));
            assertThat(ShadowRuns.rows(stack, "whole", "SELECT anomaly_id FROM anomalies"))
                    .as("the baselines judged something")
                    .isNotEmpty();
        }
    }

    /**
     * Runs ShadowJob at {@code parallelism} (from {@code savepoint} when not null) until it has
     * read its topic, then stops it with a savepoint, draining or not; returns the savepoint.
     */
    private static String run(
            EmbeddedStack stack,
            Path dir,
            Map<String, String> settings,
            int parallelism,
            String savepoint,
            boolean drain)
            throws Exception {
        String name = settings.get("kafka.group-id");
        Configuration conf = new Configuration();
        conf.setString("io.tmp.dirs", dir.resolve("flink-tmp").toString());
        if (savepoint != null) {
            conf.setString("execution.state-recovery.path", savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(1000);
        ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, settings))).build(env);
        JobClient job = env.executeAsync(ShadowJob.NAME + "-" + name);
        ShadowRuns.awaitCaughtUp(
                stack, job, name, settings.get("topics.workflow-events"), () -> {});
        return ShadowRuns.stop(job, dir, name, drain);
    }
}
