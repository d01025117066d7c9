package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeasonsTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    /** A daily cycle with quieter weekends, at the given number of steps per day. */
    private static double[] daysAndWeeks(int perDay, int days, long seed) {
        double[] y = Synthetic.sine(perDay * days, 100, 30, perDay, 0, 3, seed);
        for (int t = 0; t < y.length; t++) {
            y[t] -= (t / perDay) % 7 >= 5 ? 40 : 0;
        }
        return y;
    }

    @Test
    void findsADayAndAWeekFromAnHourlyStepWhenTheDataConfirmThem() {
        Seasons s = Seasons.of(HOUR, null, null, List.of(daysAndWeeks(24, 28, 1)));

        assertThat(s.season()).isEqualTo(24);
        assertThat(s.longSeason()).isEqualTo(168);
        assertThat(s.baselines()).containsExactly(24, 168);
        assertThat(s.explanation()).contains("a day of 1h steps", "a week");
    }

    @Test
    void findsTheDayOfAFiveMinuteStep() {
        Seasons s = Seasons.of(FIVE_MINUTES, null, null, List.of(daysAndWeeks(288, 21, 2)));

        assertThat(s.season()).isEqualTo(288);
        assertThat(s.longSeason()).isEqualTo(2016);
    }

    @Test
    void dropsASeasonThatTheDataDoNotShow() {
        double[] noise = Synthetic.sine(24 * 28, 100, 0, 24, 0, 5, 3);

        Seasons s = Seasons.of(HOUR, null, null, List.of(noise));

        assertThat(s.season()).isEqualTo(1);
        assertThat(s.longSeason()).isZero();
        assertThat(s.explanation()).contains("no season of 24");
        // the seasonal naive baselines are still tried
        assertThat(s.baselines()).containsExactly(24, 168);
    }

    @Test
    void triesAWeeklyBaselineOnlyWhenTheHistoryHoldsTwoWeeks() {
        Seasons s = Seasons.of(HOUR, null, null, List.of(daysAndWeeks(24, 10, 4)));

        assertThat(s.baselines()).containsExactly(24);
        assertThat(s.longSeason()).isZero();
    }

    @Test
    void fallsBackToAnHourWhenADayDoesNotFitTwiceInTheHistory() {
        double[] hours = Synthetic.sine(60 * 20, 10, 5, 60, 0, 1, 5);

        Seasons s = Seasons.of(Duration.ofMinutes(1), null, null, List.of(hours));

        assertThat(s.season()).isEqualTo(60);
        assertThat(s.baselines()).containsExactly(60);
    }

    @Test
    void aGivenSeasonOverridesTheOneFoundButTheDayAndWeekBaselinesRemain() {
        Seasons s = Seasons.of(HOUR, 12, 0, List.of(daysAndWeeks(24, 28, 6)));

        assertThat(s.season()).isEqualTo(12);
        assertThat(s.longSeason()).isZero();
        assertThat(s.baselines()).containsExactly(24, 168, 12);
    }

    @Test
    void rejectsALongSeasonThatIsNotAMultipleOfTheSeason() {
        assertThatThrownBy(() -> Seasons.of(HOUR, 24, 100, List.of(daysAndWeeks(24, 28, 7))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple");
    }
}
