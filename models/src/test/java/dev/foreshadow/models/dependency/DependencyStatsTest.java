package dev.foreshadow.models.dependency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DependencyStatsTest {

    private static final long HOUR = 3600_000;
    private static final long DAY = 24 * HOUR;

    /** Poisson starts over {@code days} with a strong daily cycle (peak at noon). */
    private static List<Long> dailyCycle(SplittableRandom random, int days, double peakPerHour) {
        List<Long> out = new ArrayList<>();
        for (long t = 0; t < days * DAY; t += 60_000) {
            double hour = (t % DAY) / (double) HOUR;
            double rate = peakPerHour / 60 * Math.exp(-Math.pow(hour - 12, 2) / 18);
            if (random.nextDouble() < rate) {
                out.add(t + random.nextLong(60_000));
            }
        }
        return out;
    }

    private static long[] sorted(List<Long> starts) {
        long[] a = starts.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }

    @Test
    void findsTheChildAParentStartsWithItsProbabilityAndLag() {
        SplittableRandom random = new SplittableRandom(7);
        List<Long> parent = dailyCycle(random, 60, 20);
        List<Long> child = dailyCycle(random, 60, 10); // the child's own runs
        for (long t : parent) {
            if (random.nextDouble() < 0.3) {
                child.add(t + 600_000 + Math.round(random.nextGaussian() * 60_000));
            }
        }

        List<Dependency> found =
                DependencyStats.fromStarts(Map.of("a", sorted(parent), "b", sorted(child)));

        assertThat(found).hasSize(1);
        Dependency d = found.get(0);
        assertThat(d.parent()).isEqualTo("a");
        assertThat(d.child()).isEqualTo("b");
        assertThat(d.probability()).isCloseTo(0.3, within(0.05));
        assertThat(d.meanLagMs() / 60_000).isCloseTo(10, within(1.5));
        assertThat(d.basis()).startsWith("start-time association");
    }

    @Test
    void typesThatOnlyShareTheirBusyHoursAreNotDependent() {
        SplittableRandom random = new SplittableRandom(11);
        // two independent types with the same strong daily cycle: coincidences, no cause
        long[] a = sorted(dailyCycle(random, 90, 30));
        long[] b = sorted(dailyCycle(random, 90, 30));

        assertThat(DependencyStats.fromStarts(Map.of("a", a, "b", b))).isEmpty();
    }

    @Test
    void aChildWhoseRateRisesOverTheDayIsNotDependentOnAnything() {
        SplittableRandom random = new SplittableRandom(13);
        // one day: the parent at a steady 2 a minute, the child rising from 0 to 4 a minute
        List<Long> parent = new ArrayList<>();
        List<Long> child = new ArrayList<>();
        for (long t = 0; t < DAY; t += 60_000) {
            for (int i = 0; i < poisson(random, 2); i++) {
                parent.add(t + random.nextLong(60_000));
            }
            for (int i = 0; i < poisson(random, 4.0 * t / DAY); i++) {
                child.add(t + random.nextLong(60_000));
            }
        }

        assertThat(DependencyStats.fromStarts(Map.of("a", sorted(parent), "b", sorted(child))))
                .isEmpty();
    }

    @Test
    void typesThatBurstInTheSameMinutesAreNotDependent() {
        SplittableRandom random = new SplittableRandom(17);
        List<Long> a = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        for (long t = 0; t < 3 * DAY; t += 60_000) {
            boolean burst = random.nextDouble() < 0.02;
            for (int i = 0; i < poisson(random, burst ? 40 : 0.5); i++) {
                a.add(t + random.nextLong(60_000));
            }
            for (int i = 0; i < poisson(random, burst ? 30 : 0.5); i++) {
                b.add(t + random.nextLong(60_000));
            }
        }

        assertThat(DependencyStats.fromStarts(Map.of("a", sorted(a), "b", sorted(b)))).isEmpty();
    }

    private static int poisson(SplittableRandom random, double mean) {
        int k = 0;
        double p = Math.exp(-mean);
        double u = random.nextDouble();
        double cumulative = p;
        while (u > cumulative && k < 1000) {
            k++;
            p *= mean / k;
            cumulative += p;
        }
        return k;
    }

    @Test
    void triggeredByGivesTheShareOfParentRunsAndTheirLags() {
        List<DependencyStats.Trigger> triggers =
                List.of(
                        new DependencyStats.Trigger("a", 0, "b", 90_000),
                        new DependencyStats.Trigger("a", 1_000_000, "b", 1_150_000));

        List<Dependency> found = DependencyStats.fromTriggers(triggers, Map.of("a", 8L, "b", 2L));

        assertThat(found).hasSize(1);
        assertThat(found.get(0).probability()).isEqualTo(0.25);
        // lags of 90 s and 150 s: both in the bin [60, 120) s and [120, 180) s
        assertThat(found.get(0).lagWeights()).containsExactly(0, 0.5, 0.5);
    }
}
