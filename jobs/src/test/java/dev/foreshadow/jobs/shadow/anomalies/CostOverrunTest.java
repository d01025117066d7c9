package dev.foreshadow.jobs.shadow.anomalies;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.shadow.anomalies.OperatorFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.RunSummary;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CostOverrunTest {

    /** Sends a summary and the watermark of its end, as the job does once the run has ended. */
    private static void judgeNow(
            KeyedOneInputStreamOperatorTestHarness<String, RunSummary, Anomaly> h, RunSummary r)
            throws Exception {
        h.processElement(r, r.endTime().toEpochMilli());
        h.processWatermark(r.endTime().toEpochMilli());
    }

    @Test
    void aSummaryWaitsForTheWatermarkOfItsEnd() throws Exception {
        var h = keyed(new CostOverrun(20, RETENTION), CostOverrun::key);
        for (int i = 0; i < 30; i++) {
            judgeNow(h, run("r" + i, 1.0));
        }
        RunSummary later = run("pricey", 5.0, T0.plusSeconds(120));
        h.processElement(later, later.endTime().toEpochMilli());
        assertThat(h.extractOutputValues()).as("before the watermark").isEmpty();

        h.processWatermark(later.endTime().toEpochMilli());

        assertThat(h.extractOutputValues()).extracting(Anomaly::runId).containsExactly("pricey");
        h.close();
    }

    @Test
    void aRunCostingMoreThanItsTypesP99IsAnOverrun() throws Exception {
        var h = keyed(new CostOverrun(20, RETENTION), CostOverrun::key);
        for (int i = 0; i < 30; i++) {
            judgeNow(h, run("r" + i, 1.0 + (i % 5) * 0.01));
        }
        judgeNow(h, run("pricey", 5.0));

        assertThat(h.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind()).isEqualTo("cost-overrun");
                            assertThat(a.runId()).isEqualTo("pricey");
                            assertThat(a.observed()).isEqualTo(5.0);
                            assertThat(a.expected()).isBetween(1.0, 1.05);
                        });
        h.close();
    }

    @Test
    void aWorkflowTypeSilentForTheRetentionLeavesNeitherStateNorTimers() throws Exception {
        var h = keyed(new CostOverrun(20, RETENTION), CostOverrun::key);
        for (int i = 0; i < 30; i++) {
            h.processElement(run("r" + i, 1.0), 0);
        }
        assertThat(h.numKeyedStateEntries()).isPositive();

        h.processWatermark(LONG_AFTER);

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }
}
