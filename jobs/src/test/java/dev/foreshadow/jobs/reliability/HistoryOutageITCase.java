package dev.foreshadow.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.jobs.demo.DemoWorkload;
import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
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
 * A database outage costs time, not rows: ShadowJob writes its history through a link that is cut
 * for 30 s in the middle of the run (every connection closed, new ones refused, as when the server
 * stops), on a cluster that may not restart the job, so only the history sink's backoff and retry
 * can carry it through. When the link is back the job goes on, and its history equals that of a run
 * without an outage: nothing lost, nothing doubled.
 */
class HistoryOutageITCase {

    private static final int EVENTS = 40_000;
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    @Timeout(900)
    void thirtySecondsWithoutTheDatabaseLoseAndDoubleNothingAndTheJobCarriesOn(@TempDir Path dir)
            throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"))) {
            stack.createTopics(Topics.ALL, 2);
            List<DemoWorkload.Record> records = ShadowRuns.workload(EVENTS);
            ShadowRuns.publish(stack, Topics.WORKFLOW_EVENTS, records);

            run(
                    stack,
                    dir,
                    ShadowRuns.settings(stack, "steady", Topics.WORKFLOW_EVENTS, null),
                    null);
            Map<String, String> settings =
                    ShadowRuns.settings(stack, "outage", Topics.WORKFLOW_EVENTS, null);
            URI database = URI.create(settings.get("history.jdbc-url").substring(5));
            try (FaultyLink link = new FaultyLink(database.getPort())) {
                settings.put(
                        "history.jdbc-url",
                        "jdbc:postgresql://127.0.0.1:" + link.port() + database.getPath());
                run(stack, dir, settings, link);
            }

            ShadowRuns.assertSameHistory(stack, "steady", "outage");
        }
    }

    /**
     * Runs ShadowJob, without restarts, until it has read the topic; with a link, cuts it for
     * {@link #OUTAGE} once the first rows are stored.
     */
    private static void run(
            EmbeddedStack stack, Path dir, Map<String, String> settings, FaultyLink link)
            throws Exception {
        String name = settings.get("kafka.group-id");
        Configuration conf = new Configuration();
        conf.setString("io.tmp.dirs", dir.resolve("flink-tmp").toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, settings))).build(env);
        JobClient job = env.executeAsync(ShadowJob.NAME + "-" + name);
        long[] cutAt = {link == null ? -1 : 0};
        ShadowRuns.awaitCaughtUp(
                stack,
                job,
                name,
                Topics.WORKFLOW_EVENTS,
                () -> {
                    if (cutAt[0] == 0 && ShadowRuns.storedSamples(stack, name) > 0) {
                        link.cut();
                        cutAt[0] = System.nanoTime();
                    } else if (cutAt[0] > 0 && System.nanoTime() - cutAt[0] > OUTAGE.toNanos()) {
                        link.restore();
                        cutAt[0] = -1;
                    }
                });
        assertThat(cutAt[0])
                .as("the outage happened and ended before the topic was read")
                .isEqualTo(-1);
        ShadowRuns.stop(job, dir, name, true);
    }
}
