package dev.foreshadow.models.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReservoirTest {

    @Test
    void quantilesAreExactBelowCapacity() {
        Reservoir r = new Reservoir(100, 1);
        for (int i = 1; i <= 5; i++) {
            r.add(i * 10);
        }

        assertThat(r.quantile(0.5)).isEqualTo(30);
        assertThat(r.quantile(0.95)).isCloseTo(48, within(1e-9));
        assertThat(r.quantile(0)).isEqualTo(10);
        assertThat(r.quantile(1)).isEqualTo(50);
    }

    @Test
    void quantilesAreCloseAboveCapacity() {
        Reservoir r = new Reservoir(2000, 7);
        for (int i = 0; i < 100_000; i++) {
            r.add(i % 1000);
        }

        assertThat(r.count()).isEqualTo(100_000);
        assertThat(r.quantile(0.5)).isCloseTo(500, within(40.0));
        assertThat(r.quantile(0.95)).isCloseTo(950, within(20.0));
    }

    @Test
    void emptyHasNoQuantile() {
        assertThat(new Reservoir(4, 1).quantile(0.5)).isNaN();
    }

    @Test
    void quantilesAskedAfterEveryAddAreThoseOfTheSortedSample() {
        Reservoir asked = new Reservoir(64, 3);
        Reservoir fresh = new Reservoir(64, 3);
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int i = 0; i < 5000; i++) {
            double v = r.nextInt(200); // repeats, so removals meet equal values
            asked.add(v);
            fresh.add(v);
            double q = r.nextDouble();
            // a reservoir read back from its bytes sorts afresh: both must agree exactly
            assertThat(asked.quantile(q))
                    .isEqualTo(Reservoir.fromBytes(fresh.toBytes()).quantile(q));
        }
    }
}
