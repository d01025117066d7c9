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
        for (ForecastModel m : Models.localCandidates(24, 168)) {
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
    void rejectsAnUnknownArtifact() {
        assertThatThrownBy(() -> ModelArtifacts.read("pickle".getBytes(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
