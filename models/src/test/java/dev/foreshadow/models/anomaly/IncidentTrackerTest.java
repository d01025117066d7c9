package dev.foreshadow.models.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.models.anomaly.IncidentTracker.Transition;
import org.junit.jupiter.api.Test;

class IncidentTrackerTest {

    private static final long MINUTE = 60_000L;

    @Test
    void opensOneIncidentForABurstOfHighScores() {
        IncidentTracker t = new IncidentTracker(0.9, 10 * MINUTE);
        assertThat(t.observe(0, 0.2)).isEqualTo(Transition.NONE);
        assertThat(t.observe(MINUTE, 0.95)).isEqualTo(Transition.OPENED);
        assertThat(t.observe(2 * MINUTE, 0.99)).isEqualTo(Transition.CONTINUED);
        assertThat(t.observe(3 * MINUTE, 0.5)).isEqualTo(Transition.NONE);
        assertThat(t.observe(4 * MINUTE, 0.92)).isEqualTo(Transition.CONTINUED);
        assertThat(t.peak()).isEqualTo(0.99);
        assertThat(t.highCount()).isEqualTo(3);
        assertThat(t.openedAtMs()).isEqualTo(MINUTE);
    }

    @Test
    void closesAfterTheQuietPeriodAndOpensANewIncidentOnTheNextHighScore() {
        IncidentTracker t = new IncidentTracker(0.9, 10 * MINUTE);
        t.observe(0, 0.95);
        assertThat(t.quietDeadlineMs()).isEqualTo(10 * MINUTE);
        assertThat(t.observe(11 * MINUTE, 0.1)).isEqualTo(Transition.CLOSED);
        assertThat(t.isOpen()).isFalse();
        assertThat(t.observe(12 * MINUTE, 0.97)).isEqualTo(Transition.OPENED);
    }

    @Test
    void closesFromATimerWithoutAnotherObservation() {
        IncidentTracker t = new IncidentTracker(0.9, 10 * MINUTE);
        t.observe(0, 0.95);
        assertThat(t.closeIfQuiet(9 * MINUTE)).isFalse();
        assertThat(t.closeIfQuiet(10 * MINUTE)).isTrue();
        assertThat(t.closeIfQuiet(20 * MINUTE)).isFalse();
    }

    @Test
    void rejectsANonPositiveQuietPeriod() {
        assertThatThrownBy(() -> new IncidentTracker(0.9, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
