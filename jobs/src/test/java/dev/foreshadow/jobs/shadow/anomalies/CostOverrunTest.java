package dev.foreshadow.jobs.shadow.anomalies;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.shadow.anomalies.OperatorFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CostOverrunTest {

    @Test
    void aRunCostingMoreThanItsTypesP99IsAnOverrun() throws Exception {
        var h = keyed(new CostOverrun(20, RETENTION), CostOverrun::key);
        for (int i = 0; i < 30; i++) {
            h.processElement(run("r" + i, 1.0 + (i % 5) * 0.01), 0);
        }
        h.processElement(run("pricey", 5.0), 0);

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
