package dev.foreshadow.jobs.shadow.anomalies;

import static dev.foreshadow.jobs.Fixtures.*;
import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.shadow.anomalies.OperatorFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.WorkflowEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionOrderTest {

    @Test
    void anActionStartingWithoutTheActionThatAlwaysPrecededItIsOutOfOrder() throws Exception {
        var h = keyed(new ActionOrder(20, RETENTION), ActionOrder::key);
        history(h, 20);
        assertThat(h.extractOutputValues()).isEmpty();

        sendThenWatermark(h, actionStarted("odd", "reserve-stock", 1, T0.plusSeconds(5000)));
        sendThenWatermark(h, actionStarted("odd", "ship", 3, T0.plusSeconds(5001)));

        assertThat(h.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind()).isEqualTo("unexpected-order");
                            assertThat(a.actionType()).isEqualTo("ship");
                            assertThat(a.context()).containsEntry("missingBefore", "charge-card");
                        });
        sendThenWatermark(h, runFinished("odd", T0.plusSeconds(5002)));
        h.close();
    }

    @Test
    void aFinishedRunLeavesOnlyTheLearnedOrder() throws Exception {
        var h = keyed(new ActionOrder(20, RETENTION), ActionOrder::key);
        history(h, 1);
        int learned = h.numKeyedStateEntries();
        sendThenWatermark(h, actionStarted("open", "reserve-stock", 1, T0.plusSeconds(500)));
        assertThat(h.numKeyedStateEntries()).as("the open run's actions").isEqualTo(learned + 1);

        sendThenWatermark(h, runFinished("open", T0.plusSeconds(501)));

        assertThat(h.numKeyedStateEntries()).isEqualTo(learned);
        h.close();
    }

    @Test
    void aWorkflowTypeSilentForTheRetentionLeavesNeitherStateNorTimers() throws Exception {
        var h = keyed(new ActionOrder(20, RETENTION), ActionOrder::key);
        history(h, 20);
        sendThenWatermark(
                h, actionStarted("never-finishes", "reserve-stock", 1, T0.plusSeconds(5000)));
        assertThat(h.numKeyedStateEntries()).isPositive();

        h.processWatermark(LONG_AFTER);

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void theSameEventsGiveTheSameAnomaliesWhateverOrderTheyArriveIn() throws Exception {
        List<WorkflowEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Instant t = T0.plusSeconds(10L * i);
            boolean odd = i == 25;
            events.add(actionStarted("r" + i, "reserve-stock", 1, t));
            if (!odd) {
                events.add(actionStarted("r" + i, "charge-card", 2, t.plusSeconds(1)));
            }
            events.add(actionStarted("r" + i, "ship", 3, t.plusSeconds(2)));
        }
        List<String> inOrder = anomalies(events);
        Collections.reverse(events);
        assertThat(inOrder).containsExactly("unexpected-order r25 ship");
        assertThat(anomalies(events)).isEqualTo(inOrder);
    }

    /** What ActionOrder flags in {@code events} sent as they are, then one watermark. */
    private static List<String> anomalies(List<WorkflowEvent> events) throws Exception {
        var h = keyed(new ActionOrder(20, RETENTION), ActionOrder::key);
        for (var e : events) {
            send(h, e);
        }
        h.processWatermark(T0.plusSeconds(3600).toEpochMilli());
        List<String> found =
                h.extractOutputValues().stream()
                        .map(a -> a.kind() + " " + a.runId() + " " + a.actionType())
                        .toList();
        h.close();
        return found;
    }

    /** Runs that always reserve, charge, then ship. */
    private static void history(
            org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness<
                            String, WorkflowEvent, dev.foreshadow.connectors.records.Anomaly>
                    h,
            int runs)
            throws Exception {
        for (int i = 0; i < runs; i++) {
            Instant t = T0.plusSeconds(100L * i);
            sendThenWatermark(h, actionStarted("r" + i, "reserve-stock", 1, t));
            sendThenWatermark(h, actionStarted("r" + i, "charge-card", 2, t.plusSeconds(1)));
            sendThenWatermark(h, actionStarted("r" + i, "ship", 3, t.plusSeconds(2)));
            sendThenWatermark(h, runFinished("r" + i, t.plusSeconds(3)));
        }
    }
}
