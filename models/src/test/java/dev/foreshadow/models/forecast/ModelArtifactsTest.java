package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelArtifactsTest {

    private static final Series WEEKS =
            Series.of("weeks", Synthetic.sine(168 * 4, 100, 20, 24, 0, 2, 3));

    @Test
    void aLocalModelReadBackForecastsExactlyAsTheOriginal() {
        for (ForecastModel m :
                Models.localCandidates(new Seasons(24, 168, List.of(24, 168), "hourly"))) {
            ForecastModel read = ModelArtifacts.read(ModelArtifacts.write(m), null);
            assertThat(read.name()).isEqualTo(m.name());
            assertThat(read.forecast(WEEKS, 600, 24).p50())
                    .containsExactly(m.forecast(WEEKS, 600, 24).p50());
        }
    }

    @Test
    void aCombinationIsRebuiltFromItsMemberNames() {
        ForecastModel combo =
                new Ensemble("combo", List.of(new SeasonalNaive(24), Models.byName("ets-ad-a24")));
        ForecastModel read = ModelArtifacts.read(ModelArtifacts.write(combo), null);
        assertThat(read.name()).isEqualTo("combo");
        assertThat(read.forecast(WEEKS, 600, 24).p50())
                .containsExactly(combo.forecast(WEEKS, 600, 24).p50());
    }

    @Test
    void aDeployedCombinationIsRebuiltWithItsWeightsAndIntervalScales() {
        Combination combo =
                new Combination(
                        "combo2",
                        List.of(
                                new Combination.Member("smedian24", 0.7, 0.8, 1.25),
                                new Combination.Member("ets-ad-a24", 0.3, 1.5, 0.5)),
                        List.of(new SeasonalMedian(24), Models.byName("ets-ad-a24")),
                        "chosen in a test");

        ForecastModel read = ModelArtifacts.read(ModelArtifacts.write(combo), null);

        assertThat(read).isInstanceOf(Combination.class);
        assertThat(((Combination) read).members()).isEqualTo(combo.members());
        Forecast expected = combo.forecast(WEEKS, 600, 24);
        Forecast actual = read.forecast(WEEKS, 600, 24);
        assertThat(actual.p10()).containsExactly(expected.p10());
        assertThat(actual.p90()).containsExactly(expected.p90());
    }

    @Test
    void rejectsAnUnknownArtifact() {
        assertThatThrownBy(() -> ModelArtifacts.read("pickle".getBytes(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
