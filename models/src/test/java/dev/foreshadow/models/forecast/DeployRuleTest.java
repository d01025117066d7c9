package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployRuleTest {

    @Test
    void choosesSeasonalNaiveForAPureSeasonBecauseItsBacktestErrorIsZero() {
        double[] season = new double[24];
        for (int j = 0; j < 24; j++) {
            season[j] = j % 5 == 0 ? 50 : 5 + j;
        }
        Series s = Series.of("pure", SeasonalNaiveTest.repeat(season, 20));
        DeployRule rule = DeployRule.of(24, 0, 24, 3, null);
        Map<String, Backtest.Score> scores = rule.backtest(s, s.length());
        assertThat(scores.get("snaive24").mase()).isZero();
        assertThat(rule.choose(scores).model()).isEqualTo("snaive24");
    }

    @Test
    void rollingOriginsEndOneHorizonApartAtTheEndOfTheSeries() {
        assertThat(Backtest.origins(100, 3, 10, 0)).containsExactly(70, 80, 90);
        assertThat(Backtest.origins(100, 2, 10, 20)).containsExactly(60, 70);
    }

    @Test
    void decidesOnTheBacktestAndForecastsWithTheCandidateItChose() {
        Series s = Series.of("sine", Synthetic.sine(24 * 20, 100, 20, 24, 0, 2, 5));
        DeployRule rule = DeployRule.of(24, 0, 24, 3, null);

        DeployRule.Decision decision = rule.decide(s);

        assertThat(decision.backtest()).containsOnlyKeys(rule.names());
        assertThat(decision.model()).isEqualTo(rule.choose(decision.backtest()).model());
        assertThat(decision.reason()).startsWith("lowest backtest MASE");
        assertThat(decision.forecast().p50())
                .containsExactly(rule.model(decision.model()).forecast(s, s.length(), 24).p50());
    }

    @Test
    void fallsBackToSeasonalNaiveAndSaysSoWhenTheHistoryIsTooShortForABacktest() {
        DeployRule rule = DeployRule.of(24, 0, 24, 3, null);
        Series threeDays = Series.of("new", Synthetic.sine(72, 100, 20, 24, 0, 2, 5));
        Series halfADay = Series.of("newer", Synthetic.sine(12, 100, 20, 24, 0, 2, 5));

        DeployRule.Decision seasonal = rule.decide(threeDays);
        DeployRule.Decision naive = rule.decide(halfADay);

        assertThat(seasonal.model()).isEqualTo("snaive24");
        assertThat(seasonal.reason()).startsWith("seasonal naive: too little history");
        assertThat(seasonal.backtest()).isEmpty();
        assertThat(seasonal.forecast().p50()[0]).isEqualTo(threeDays.values()[48]);
        assertThat(naive.model()).isEqualTo("naive");
        assertThat(naive.forecast().p50()).containsOnly(halfADay.values()[11]);
    }

    @Test
    void selectionFoldsPrecedeTheOriginAndNeverStartBeforeTheEarliestAllowed() {
        DeployRule rule = DeployRule.of(24, 0, 24, 3, null);
        assertThat(rule.selectionOrigins(200, 0)).containsExactly(128, 152, 176);
        assertThat(rule.selectionOrigins(200, 150)).containsExactly(152, 176);
        assertThat(rule.selectionOrigins(200, 190)).isEmpty();
    }
}
