package dev.foreshadow.jobs.shadow.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunsInFlightTest {

    static final long NINE = Instant.parse("2026-11-30T09:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000;

    @Test
    void aStartAndItsFinishCancelOnceTheEndHasPassedInEitherOrder() {
        RunsInFlight startFirst = new RunsInFlight();
        startFirst.add(NINE - 5 * MINUTE, 1);
        startFirst.finished(NINE - 5 * MINUTE, NINE - 2 * MINUTE);
        RunsInFlight finishFirst = new RunsInFlight();
        finishFirst.finished(NINE - 5 * MINUTE, NINE - 2 * MINUTE);
        finishFirst.add(NINE - 5 * MINUTE, 1);

        for (RunsInFlight f : new RunsInFlight[] {startFirst, finishFirst}) {
            assertThat(f.settle(NINE)).isTrue();
            assertThat(f.runningAt(NINE)).isZero();
            assertThat(f.isEmpty()).isTrue();
        }
    }

    @Test
    void aRunIsRunningUntilItsEndHoweverEarlyItsFinishCame() {
        RunsInFlight f = new RunsInFlight();
        f.add(NINE - 5 * MINUTE, 1);
        f.add(NINE - 5 * MINUTE + 20_000, 1); // the same start minute: one entry of two
        f.finished(NINE - 5 * MINUTE, NINE + 3 * MINUTE);

        assertThat(f.settle(NINE)).isFalse();
        assertThat(f.runningAt(NINE)).isEqualTo(2);
        assertThat(f.startMs).hasSize(1);

        f.settle(NINE + 5 * MINUTE);
        assertThat(f.runningAt(NINE + 5 * MINUTE)).isEqualTo(1);
    }

    @Test
    void runsStartedAtOrAfterTheTimeAreNotRunningYet() {
        RunsInFlight f = new RunsInFlight();
        f.add(NINE, 3);

        assertThat(f.runningAt(NINE)).isZero();
        assertThat(f.runningAt(NINE + MINUTE)).isEqualTo(3);
    }

    @Test
    void minutesOlderThanTheRetentionAreForgotten() {
        RunsInFlight f = new RunsInFlight();
        f.add(NINE - 60 * MINUTE, 1);
        f.add(NINE, 1);

        assertThat(f.forgetBefore(NINE - MINUTE)).isTrue();
        assertThat(f.startMs).containsExactly(NINE);
    }
}
