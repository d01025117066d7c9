package dev.foreshadow.jobs.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.jobs.StackReads;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrades keep state: ShadowJob restores the savepoint that version 0.1 wrote mid-flight ({@code
 * savepoints/shadow-0.1}, made by {@link ShadowSavepointFixture} from {@link SavepointWorkload})
 * and carries on. Every detector below fires only with what it learned before the savepoint: a
 * fresh state would have too little history (or too few failures) to judge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShadowSavepointRestoreITCase {

    /** On the state backend of production (RocksDB), which migrates state value by value. */
    static final class OnRocksDbITCase extends ShadowSavepointRestoreITCase {
        OnRocksDbITCase() {
            super("rocksdb");
        }
    }

    /** On the heap backend of the local MiniCluster and the demo. */
    static final class OnHeapITCase extends ShadowSavepointRestoreITCase {
        OnHeapITCase() {
            super("hashmap");
        }
    }

    private final String backend;
    private EmbeddedStack stack;

    ShadowSavepointRestoreITCase(String backend) {
        this.backend = backend;
    }

    @BeforeAll
    void restoreAndContinue(@TempDir Path runDir) throws Exception {
        stack = EmbeddedStack.start(runDir.resolve("stack"));
        stack.createTopics(Topics.ALL, 2);
        try (Connection c = stack.postgres().connect()) {
            Migrations.apply(c);
        }
        URL fixture = ShadowSavepointRestoreITCase.class.getResource("/savepoints/shadow-0.1");
        Map<String, String> settings = new HashMap<>(SavepointWorkload.SETTINGS);
        settings.putAll(SavepointRuns.stackSettings(stack));
        Configuration conf = SavepointRuns.flinkConf(runDir, Path.of(fixture.toURI()).toString());
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, settings))).build(env);
        JobClient job = env.executeAsync(ShadowJob.NAME);
        SavepointRuns.publish(stack, SavepointWorkload.afterSavepoint());
        SavepointRuns.awaitConsumed(stack, job);
        // drain: the final watermark fires the windows and timers restored from the savepoint
        job.stopWithSavepoint(
                        true,
                        runDir.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL)
                .get();
        job.getJobExecutionResult().get();
    }

    @AfterAll
    void stopStack() throws Exception {
        stack.close();
    }

    @Test
    @Timeout(60)
    void runsInFlightAtTheSavepointCompleteWithTheActionsTheyHadDone() throws Exception {
        assertThat(
                        rows(
                                "SELECT run_id || ':' || status || ':' || actions || ':' || failed_actions"
                                        + " FROM workflow_runs WHERE run_id LIKE 'p-%' OR run_id = 'f-1'"
                                        + " ORDER BY run_id"))
                .containsExactly(
                        "f-1:COMPLETED:4:3",
                        "p-1:COMPLETED:3:0",
                        "p-2:COMPLETED:3:0",
                        "p-3:COMPLETED:3:0");
    }

    @Test
    @Timeout(60)
    void everyDetectorJudgesWithTheHistoryItLearnedBeforeTheSavepoint() throws Exception {
        assertThat(rows("SELECT kind || ':' || run_id FROM anomalies WHERE run_id <> 'o-35'"))
                .contains(
                        "retry-storm:f-1",
                        "unexpected-order:u-1",
                        "stuck-action:s-1",
                        "cost-overrun:c-1",
                        "metric:m-1");
    }

    @Test
    @Timeout(60)
    void theMetricBaselineKeepsItsHistoryAndTheSecondViewStartsEmptyAndScores() throws Exception {
        // 0.1 wrote detectors of format 2 (one view); 40 extracts came before the savepoint and
        // m-1 is the first after it: its top metric (duration, CPU or cost, all twenty times
        // higher) was judged by a baseline of all 41 and a second view fed since the restore
        assertThat(
                        rows(
                                "SELECT (context->>'baselineSamples') || ':'"
                                        + " || (context->>'secondViewSamples') FROM anomalies"
                                        + " WHERE kind = 'metric' AND run_id = 'm-1'"))
                .containsExactly("41:1");
    }

    @Test
    @Timeout(60)
    void theMinuteOpenAtTheSavepointCountsSamplesFromBothSides() throws Exception {
        Map<String, Long> expected = new HashMap<>();
        for (String action : List.of("reserve-stock", "charge-card")) {
            expected.put(
                    action, SavepointWorkload.samplesIn(SavepointWorkload.OPEN_MINUTE, action));
        }
        assertThat(expected.get("charge-card")).as("samples before and after").isEqualTo(4);
        assertThat(
                        rows(
                                "SELECT action_type || ':' || count FROM action_stats WHERE bucket = '"
                                        + SavepointWorkload.OPEN_MINUTE
                                        + "' AND action_type IN ('reserve-stock', 'charge-card')"
                                        + " ORDER BY action_type"))
                .containsExactly(
                        "charge-card:" + expected.get("charge-card"),
                        "reserve-stock:" + expected.get("reserve-stock"));
    }

    private List<String> rows(String sql) throws Exception {
        return StackReads.rows(stack, sql);
    }
}
