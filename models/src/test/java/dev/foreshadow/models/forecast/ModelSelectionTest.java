package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSelectionTest {

    @Test
    void choosesSeasonalNaiveForAPureSeasonBecauseItsBacktestErrorIsZero() {
        double[] season = new double[24];
        for (int j = 0; j < 24; j++) {
            season[j] = j % 5 == 0 ? 50 : 5 + j;
        }
        Series s = Series.of("pure", SeasonalNaiveTest.repeat(season, 20));
        ModelSelection selection = new ModelSelection(Models.localCandidates(24, 0), null);
        Map<String, Backtest.Score> scores =
                selection.backtest(s, Backtest.origins(s.length(), 3, 24, 0), 24, 24);
        assertThat(scores.get("snaive24").mase()).isZero();
        assertThat(ModelSelection.choose(scores)).isEqualTo("snaive24");
    }

    @Test
    void rollingOriginsEndOneHorizonApartAtTheEndOfTheSeries() {
        assertThat(Backtest.origins(100, 3, 10, 0)).containsExactly(70, 80, 90);
        assertThat(Backtest.origins(100, 2, 10, 20)).containsExactly(60, 70);
    }
}
