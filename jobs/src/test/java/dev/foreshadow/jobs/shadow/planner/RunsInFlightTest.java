package dev.foreshadow.jobs.shadow.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunsInFlightTest {

    static final long NINE = Instant.parse("2026-11-30T09:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000;
    static final long START = NINE - 5 * MINUTE;

    @Test
    void aStartItsProgressAndItsFinishCancelOnceTheEndHasPassedInAnyOrder() {
        RunsInFlight inOrder = new RunsInFlight();
        inOrder.started(START, 1);
        inOrder.progressed(START, 0, 1, NINE - 4 * MINUTE);
        inOrder.progressed(START, 1, 2, NINE - 3 * MINUTE);
        inOrder.finished(START, NINE - 2 * MINUTE, 2);
        RunsInFlight backwards = new RunsInFlight();
        backwards.finished(START, NINE - 2 * MINUTE, 2);
        backwards.progressed(START, 1, 2, NINE - 3 * MINUTE);
        backwards.progressed(START, 0, 1, NINE - 4 * MINUTE);
        backwards.started(START, 1);

        for (RunsInFlight f : new RunsInFlight[] {inOrder, backwards}) {
            assertThat(f.settle(NINE)).isTrue();
            assertThat(f.runningAt(NINE)).isZero();
            assertThat(f.isEmpty()).isTrue();
        }
    }

    @Test
    void aRunIsAsFarAsItHadGotByThePlansTimeHoweverEarlyItsReportsCame() {
        RunsInFlight f = new RunsInFlight();
        f.started(START, 1);
        f.started(START + 20_000, 1); // the same start minute: one entry of two
        f.progressed(START, 0, 1, NINE - MINUTE);
        f.progressed(START, 1, 2, NINE + MINUTE); // reported before the 9:00 plan
        f.finished(START, NINE + 3 * MINUTE, 2);

        assertThat(f.settle(NINE)).isTrue();
        assertThat(f.runningAt(NINE)).isEqualTo(2);
        assertThat(f.startMs).containsExactly(START, START);
        assertThat(f.done).containsExactly(0, 1);
        assertThat(f.count).containsExactly(1, 1);

        f.settle(NINE + 2 * MINUTE);
        assertThat(f.done).containsExactly(0, 2);
        f.settle(NINE + 5 * MINUTE);
        assertThat(f.runningAt(NINE + 5 * MINUTE)).isEqualTo(1);
        assertThat(f.done).containsExactly(0);
    }

    @Test
    void runsStartedAtOrAfterTheTimeAreNotRunningYet() {
        RunsInFlight f = new RunsInFlight();
        f.started(NINE, 3);

        assertThat(f.runningAt(NINE)).isZero();
        assertThat(f.runningAt(NINE + MINUTE)).isEqualTo(3);
    }

    @Test
    void minutesOlderThanTheRetentionAreForgotten() {
        RunsInFlight f = new RunsInFlight();
        f.started(NINE - 60 * MINUTE, 1);
        f.started(NINE, 1);

        assertThat(f.forgetBefore(NINE - MINUTE)).isTrue();
        assertThat(f.startMs).containsExactly(NINE);
    }

    @Test
    void manyMovesOfOneIntervalSettleAsTheyWereReportedAndThoseStillAheadWait() {
        RunsInFlight f = new RunsInFlight();
        for (int run = 0; run < 40; run++) {
            long start = START + run * MINUTE / 8; // eight runs a minute, from 8:55 to 9:00
            f.started(start, 1);
            f.progressed(start, 0, 1, start + MINUTE);
            f.finished(start, start + 2 * MINUTE, 1);
        }
        // the moves before 9:00 settle (the 24 runs started before 8:58 had finished); those
        // after it stay, in room the arrays keep
        assertThat(f.settle(NINE)).isTrue();
        assertThat(f.settle(NINE)).isFalse();
        assertThat(f.runningAt(NINE)).isEqualTo(16);
        assertThat(f.isEmpty()).isFalse();

        assertThat(f.settle(NINE + 10 * MINUTE)).isTrue();
        assertThat(f.runningAt(NINE + 10 * MINUTE)).isZero();
        assertThat(f.isEmpty()).isTrue();
        assertThat(f.moveCount).isEmpty();
    }

    @Test
    void aStateWrittenWithoutRoomForMoreReadsAsBefore() {
        // what a savepoint of the arrays cut to their moves holds
        RunsInFlight f = new RunsInFlight();
        f.started(START, 2);
        f.moveStartMs = new long[] {START, START};
        f.moveFrom = new int[] {0, 1};
        f.moveTo = new int[] {1, RunsInFlight.ENDED};
        f.moveAtMs = new long[] {NINE - MINUTE, NINE + MINUTE};
        f.moveCount = new int[] {1, 1};
        f.progressed(START, 0, 1, NINE - MINUTE);

        assertThat(f.moveCount).startsWith(2, 1);
        assertThat(f.settle(NINE)).isTrue();
        assertThat(f.done).containsExactly(1);
        assertThat(f.count).containsExactly(2);
    }
}
