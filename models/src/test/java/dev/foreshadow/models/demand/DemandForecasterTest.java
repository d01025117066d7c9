package dev.foreshadow.models.demand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.models.demand.ResourceProfile.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemandForecasterTest {

    /** Every run uses 1 core for 10 minutes. */
    private static final ResourceProfile TEN_MINUTES =
            ResourceProfile.builder("t", 10_000, 10)
                    .addRun(List.of(new Action(0, 600_000, 1, 1 << 30, 600_000)))
                    .build();

    private static TypeOutlook poisson(double perMinute) {
        double[] mean = new double[10];
        java.util.Arrays.fill(mean, perMinute);
        return new TypeOutlook(
                "t", 0, 60_000, mean, mean.clone(), "test", "a fixed rate", List.of(), List.of());
    }

    @Test
    void runsStillToArriveAddTheMeanAndVarianceOfARandomSum() {
        DemandForecaster d = new DemandForecaster(new ResourceProfile[] {TEN_MINUTES});

        PoolDemand at5 =
                d.forecast(
                        0,
                        new long[] {300_000},
                        new int[0],
                        new long[0],
                        0,
                        new TypeOutlook[] {poisson(2)});

        // 5 minutes of Poisson(2 per minute) arrivals, each still running: Poisson(10) cores
        assertThat(at5.meanCores()[0]).isCloseTo(10, within(1e-9));
        assertThat(at5.varianceCores()[0]).isCloseTo(10, within(1e-9));
        assertThat(at5.meanMemoryBytes()[0]).isCloseTo(10.0 * (1 << 30), within(1.0));
        assertThat(at5.inFlightCores()).isZero();
        assertThat(at5.networkBytesPerSecond()).isCloseTo(10 * 1000, within(1e-6)); // 1 kB/s each
        assertThat(at5.arrivalsCores()).isCloseTo(10, within(1e-9));
        assertThat(at5.available()).isTrue();
    }

    @Test
    void runsInFlightAddTheirProfileAtTheirOffset() {
        DemandForecaster d = new DemandForecaster(new ResourceProfile[] {TEN_MINUTES});

        // one run started 5 min ago (still running in 4 min), one 9 min ago (done in 4 min)
        PoolDemand at4 =
                d.forecast(
                        0,
                        new long[] {240_000},
                        new int[] {0, 0},
                        new long[] {-300_000, -540_000},
                        2,
                        new TypeOutlook[] {null});

        assertThat(at4.meanCores()[0]).isEqualTo(1.0);
        assertThat(at4.inFlightCores()).isEqualTo(1.0);
        assertThat(at4.coresQuantile(0, 0.9)).isEqualTo(1.0); // no variance: exactly 1
    }

    @Test
    void aGroupOfRunsStartedTogetherAddsAsMuchAsTheRunsOneByOne() {
        ResourceProfile mixed =
                ResourceProfile.builder("t", 60_000, 10)
                        .addRun(List.of(new Action(0, 600_000, 1, 1 << 30, 0)))
                        .addRun(List.of(new Action(0, 1_200_000, 3, 1 << 30, 0)))
                        .build();
        DemandForecaster d = new DemandForecaster(new ResourceProfile[] {mixed});
        long[] at = {60_000, 300_000};

        PoolDemand oneByOne =
                d.forecast(
                        0,
                        at,
                        new int[] {0, 0, 0, 0},
                        new long[] {-120_000, -120_000, -120_000, -660_000},
                        4,
                        new TypeOutlook[] {null});
        PoolDemand grouped =
                d.forecast(
                        0,
                        at,
                        new int[] {0, 0},
                        new long[] {-120_000, -660_000},
                        new int[] {3, 1},
                        2,
                        new TypeOutlook[] {null});

        for (int i = 0; i < at.length; i++) {
            assertThat(grouped.meanCores()[i]).isCloseTo(oneByOne.meanCores()[i], within(1e-9));
            assertThat(grouped.varianceCores()[i])
                    .isCloseTo(oneByOne.varianceCores()[i], within(1e-9));
        }
        // three runs 2 min old (either kind: mean 2 cores each), one 11 min old (the long kind)
        assertThat(grouped.meanCores()[0]).isCloseTo(3 * 2 + 3, within(1e-9));
        assertThat(grouped.inFlightCores()).isCloseTo(9, within(1e-9));
    }

    @Test
    void aTypeWithoutForecastMakesTheDemandUnavailable() {
        DemandForecaster d = new DemandForecaster(new ResourceProfile[] {TEN_MINUTES});
        TypeOutlook none = TypeOutlook.unavailable("t", 0, 60_000, 10, "no history");

        PoolDemand p =
                d.forecast(
                        0,
                        new long[] {60_000},
                        new int[0],
                        new long[0],
                        0,
                        new TypeOutlook[] {none});

        assertThat(p.available()).isFalse();
        assertThat(p.models()).containsEntry("t", "none: no history");
    }
}
