package dev.foreshadow.jobs.shadow.anomalies;

import static dev.foreshadow.jobs.Fixtures.*;
import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.shadow.anomalies.OperatorFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StuckActionsTest {

    @Test
    void anActionRunningFarPastItsTypesP99IsFlaggedOnceBeforeItFinishes() throws Exception {
        var h = keyed(new StuckActions(3.0, 20, RETENTION), StuckActions::key);
        for (int i = 0; i < 20; i++) {
            Instant start = T0.plusSeconds(10L * i);
            sendThenWatermark(h, actionStarted("r" + i, "ship", 1, start));
            sendThenWatermark(
                    h, actionFinished("r" + i, "ship", 1, start.plusSeconds(1), metrics(1000)));
        }
        Instant start = T0.plusSeconds(1000);
        sendThenWatermark(h, actionStarted("slow", "ship", 1, start));

        h.processWatermark(start.plusMillis(2999).toEpochMilli());
        assertThat(h.extractOutputValues()).isEmpty();
        h.processWatermark(start.plusSeconds(10).toEpochMilli());

        assertThat(h.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind()).isEqualTo("stuck-action");
                            assertThat(a.runId()).isEqualTo("slow");
                            assertThat(a.expected()).isEqualTo(1000);
                            assertThat(a.observed()).isEqualTo(3000);
                        });
        sendThenWatermark(
                h, actionFinished("slow", "ship", 1, start.plusSeconds(20), metrics(20_000)));
        assertThat(h.numEventTimeTimers()).as("only the one that forgets the key").isEqualTo(1);
        h.close();
    }

    @Test
    void anActionThatFinishesBeforeItsDeadlineIsNotFlaggedAndLeavesNoTimerBehind()
            throws Exception {
        var h = keyed(new StuckActions(3.0, 1, RETENTION), StuckActions::key);
        sendThenWatermark(h, actionStarted("a", "ship", 1, T0));
        sendThenWatermark(h, actionFinished("a", "ship", 1, T0.plusSeconds(1), metrics(1000)));
        sendThenWatermark(h, actionStarted("b", "ship", 1, T0.plusSeconds(5)));
        assertThat(h.numEventTimeTimers()).as("b's stuck timer and the key's").isEqualTo(2);

        sendThenWatermark(h, actionFinished("b", "ship", 1, T0.plusSeconds(6), metrics(1000)));
        h.processWatermark(T0.plusSeconds(60).toEpochMilli());

        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        assertThat(h.extractOutputValues()).isEmpty();
        h.close();
    }

    @Test
    void anEventWaitingForTheWatermarkAtAFinishedActionsDeadlineIsStillTaken() throws Exception {
        // b's deadline (3 x its p99 after its start) is also the time of c's start, waiting for
        // the watermark: b finishing first must not take the timer both share away from c
        var h = keyed(new StuckActions(3.0, 1, RETENTION), StuckActions::key);
        sendThenWatermark(h, actionStarted("a", "ship", 1, T0));
        sendThenWatermark(h, actionFinished("a", "ship", 1, T0.plusSeconds(1), metrics(1000)));
        Instant b = T0.plusSeconds(10);
        sendThenWatermark(h, actionStarted("b", "ship", 1, b));
        Instant deadline = b.plusSeconds(3);
        send(h, actionStarted("c", "ship", 1, deadline));
        sendThenWatermark(h, actionFinished("b", "ship", 1, b.plusSeconds(1), metrics(1000)));

        h.processWatermark(deadline.plusSeconds(60).toEpochMilli());

        assertThat(h.extractOutputValues())
                .as("c was taken at its start, so it is flagged 3 s later")
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.runId()).isEqualTo("c");
                            assertThat(a.observed()).isEqualTo(3000);
                        });
        h.close();
    }

    @Test
    void anActionThatEndsAfterItsDeadlineIsFlaggedEvenIfItsEndArrivesBeforeTheWatermark()
            throws Exception {
        var h = keyed(new StuckActions(3.0, 1, RETENTION), StuckActions::key);
        sendThenWatermark(h, actionStarted("a", "ship", 1, T0));
        sendThenWatermark(h, actionFinished("a", "ship", 1, T0.plusSeconds(1), metrics(1000)));
        Instant start = T0.plusSeconds(5);
        send(h, actionStarted("slow", "ship", 1, start));
        send(h, actionFinished("slow", "ship", 1, start.plusSeconds(4), metrics(4000)));
        assertThat(h.extractOutputValues()).as("nothing before the watermark").isEmpty();

        h.processWatermark(start.plusSeconds(4).toEpochMilli());

        assertThat(h.extractOutputValues())
                .singleElement()
                .satisfies(a -> assertThat(a.observed()).isEqualTo(3000));
        h.close();
    }

    @Test
    void aLaterActionWithAnEarlierDeadlineIsFlaggedAtItsOwnDeadline() throws Exception {
        // the baseline falls while a slow action runs: an action started after it has the earlier
        // deadline, and the timers of events in between must not hide it
        var h = keyed(new StuckActions(3.0, 1, RETENTION), StuckActions::key);
        sendThenWatermark(h, actionStarted("a", "ship", 1, T0));
        sendThenWatermark(h, actionFinished("a", "ship", 1, T0.plusSeconds(10), metrics(10_000)));
        sendThenWatermark(h, actionStarted("long", "ship", 1, T0.plusSeconds(20)));
        for (int i = 0; i < 200; i++) {
            Instant start = T0.plusSeconds(21).plusMillis(100L * i);
            sendThenWatermark(h, actionStarted("r" + i, "ship", 1, start));
            sendThenWatermark(
                    h, actionFinished("r" + i, "ship", 1, start.plusMillis(50), metrics(1000)));
        }
        Instant start = T0.plusSeconds(43);
        sendThenWatermark(h, actionStarted("short", "ship", 1, start));

        h.processWatermark(T0.plusSeconds(47).toEpochMilli());
        assertThat(h.extractOutputValues())
                .as("short's deadline, 3 x the new p99 after its start, came before long's")
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.runId()).isEqualTo("short");
                            assertThat(a.observed()).isEqualTo(3000);
                        });
        h.processWatermark(T0.plusSeconds(51).toEpochMilli());
        assertThat(h.extractOutputValues())
                .filteredOn(a -> a.runId().equals("long"))
                .singleElement()
                .satisfies(a -> assertThat(a.observed()).isEqualTo(30_000));
        h.close();
    }

    @Test
    void anActionTypeSilentForTheRetentionLeavesNeitherStateNorTimers() throws Exception {
        var h = keyed(new StuckActions(3.0, 1, RETENTION), StuckActions::key);
        sendThenWatermark(h, actionStarted("a", "ship", 1, T0));
        sendThenWatermark(h, actionFinished("a", "ship", 1, T0.plusSeconds(1), metrics(1000)));
        sendThenWatermark(h, actionStarted("never-ends", "ship", 1, T0.plusSeconds(5)));
        h.processWatermark(T0.plusSeconds(60).toEpochMilli());
        assertThat(h.extractOutputValues()).as("flagged").hasSize(1);

        h.processWatermark(LONG_AFTER);

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }
}
