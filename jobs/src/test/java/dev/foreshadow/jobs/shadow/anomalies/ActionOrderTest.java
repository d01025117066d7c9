package dev.foreshadow.jobs.shadow.anomalies;

import static dev.foreshadow.jobs.Fixtures.*;
import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.shadow.anomalies.OperatorFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActionOrderTest {

    @Test
    void anActionStartingWithoutTheActionThatAlwaysPrecededItIsOutOfOrder() throws Exception {
        var h = keyed(new ActionOrder(20, RETENTION), ActionOrder::key);
        history(h, 20);
        assertThat(h.extractOutputValues()).isEmpty();

        send(h, actionStarted("odd", "reserve-stock", 1, T0.plusSeconds(5000)));
        send(h, actionStarted("odd", "ship", 3, T0.plusSeconds(5001)));

        assertThat(h.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind()).isEqualTo("unexpected-order");
                            assertThat(a.actionType()).isEqualTo("ship");
                            assertThat(a.context()).containsEntry("missingBefore", "charge-card");
                        });
        send(h, runFinished("odd", T0.plusSeconds(5002)));
        h.close();
    }

    @Test
    void aFinishedRunLeavesOnlyTheLearnedOrder() throws Exception {
        var h = keyed(new ActionOrder(20, RETENTION), ActionOrder::key);
        history(h, 1);
        int learned = h.numKeyedStateEntries();
        send(h, actionStarted("open", "reserve-stock", 1, T0.plusSeconds(500)));
        assertThat(h.numKeyedStateEntries()).as("the open run's actions").isEqualTo(learned + 1);

        send(h, runFinished("open", T0.plusSeconds(501)));

        assertThat(h.numKeyedStateEntries()).isEqualTo(learned);
        h.close();
    }

    @Test
    void aWorkflowTypeSilentForTheRetentionLeavesNeitherStateNorTimers() throws Exception {
        var h = keyed(new ActionOrder(20, RETENTION), ActionOrder::key);
        history(h, 20);
        send(h, actionStarted("never-finishes", "reserve-stock", 1, T0.plusSeconds(5000)));
        assertThat(h.numKeyedStateEntries()).isPositive();

        h.processWatermark(LONG_AFTER);

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    /** Runs that always reserve, charge, then ship. */
    private static void history(
            org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness<
                            String,
                            dev.foreshadow.connectors.records.WorkflowEvent,
                            dev.foreshadow.connectors.records.Anomaly>
                    h,
            int runs)
            throws Exception {
        for (int i = 0; i < runs; i++) {
            Instant t = T0.plusSeconds(100L * i);
            send(h, actionStarted("r" + i, "reserve-stock", 1, t));
            send(h, actionStarted("r" + i, "charge-card", 2, t.plusSeconds(1)));
            send(h, actionStarted("r" + i, "ship", 3, t.plusSeconds(2)));
            send(h, runFinished("r" + i, t.plusSeconds(3)));
        }
    }
}
