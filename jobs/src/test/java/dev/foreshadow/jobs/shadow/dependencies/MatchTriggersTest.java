package dev.foreshadow.jobs.shadow.dependencies;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.shadow.dependencies.DependencyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.RunSummary;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class MatchTriggersTest {

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, RunLink, TriggerObservation> h,
            RunSummary r)
            throws Exception {
        for (RunLink l : RunLink.of(r)) {
            h.processElement(l, endOf(r));
        }
    }

    @Test
    void aChildIsMatchedToItsParentsTypeAndStartWhicheverSummaryComesFirst() throws Exception {
        var h = keyed(new MatchTriggers(HOLD), RunLink::runKey);
        send(h, run("pay-1", "payment", 12, "order-1")); // the child ends first
        send(h, run("order-1", "order", 10, null));
        send(h, run("mail-1", "mail", 15, "order-1"));

        assertThat(h.extractOutputValues())
                .containsExactlyInAnyOrder(
                        TriggerObservation.parentRun("shop", "order", minute(10)),
                        TriggerObservation.parentRun("shop", "payment", minute(12)),
                        TriggerObservation.parentRun("shop", "mail", minute(15)),
                        new TriggerObservation("shop", "order", minute(10), "payment", minute(12)),
                        new TriggerObservation("shop", "order", minute(10), "mail", minute(15)));
        h.close();
    }

    @Test
    void aReplayedSummaryOfARunCountsItOnce() throws Exception {
        var h = keyed(new MatchTriggers(HOLD), RunLink::runKey);
        send(h, run("order-1", "order", 10, null));
        send(h, run("order-1", "order", 10, null));

        assertThat(h.extractOutputValues()).hasSize(1);
        h.close();
    }

    @Test
    void aRunLeavesNeitherStateNorTimersOnceItsHoldHasPassed() throws Exception {
        var h = keyed(new MatchTriggers(HOLD), RunLink::runKey);
        send(h, run("order-1", "order", 10, null));
        send(h, run("pay-1", "payment", 12, "order-2")); // its parent never reports
        assertThat(h.numKeyedStateEntries()).isPositive();
        assertThat(h.numEventTimeTimers()).isPositive();

        h.processWatermark(minute(12) + HOLD.toMillis() + 120_000);

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    static long minute(int m) {
        return MONDAY_9AM.plusSeconds(60L * m).toEpochMilli();
    }
}
