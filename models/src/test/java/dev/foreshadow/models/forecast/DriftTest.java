package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DriftTest {

    @Test
    void extendsTheLineFromTheFirstToTheLastValue() {
        double[] history = {10, 14, 11, 19, 20};

        Forecast f = new Drift().forecast(history, 3);

        // slope (20 - 10) / 4 = 2.5
        assertThat(f.p50()).containsExactly(new double[] {22.5, 25, 27.5}, within(1e-12));
        assertThat(f.p90()[2] - f.p10()[2]).isGreaterThan(f.p90()[0] - f.p10()[0]);
    }
}
