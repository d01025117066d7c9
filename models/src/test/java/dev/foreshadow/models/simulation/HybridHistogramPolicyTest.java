package dev.foreshadow.models.simulation;

import static dev.foreshadow.models.simulation.Dags.runs;
import static dev.foreshadow.models.simulation.Dags.shape;
import static dev.foreshadow.models.simulation.Dags.task;
import static dev.foreshadow.models.simulation.Dags.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The hybrid histogram policy against the rule of Shahrad et al. (ATC 2020) with dslab-faas's
 * constants: 1-minute bins over 4 h, pre-warm at 0.9 x the 5th percentile, keep alive to 1.1 x the
 * 99th, 4 h while the histogram is not representative, a prediction when most ITs are beyond 4 h.
 */
class HybridHistogramPolicyTest {

    private static final long MINUTE = 60_000;

    private static HybridHistogramPolicy.IdleTimes idleTimes(long... idleMs) {
        HybridHistogramPolicy.IdleTimes it = new HybridHistogramPolicy.IdleTimes();
        for (long ms : idleMs) {
            it.add(ms);
        }
        return it;
    }

    private static long[] repeat(long ms, int times) {
        long[] out = new long[times];
        java.util.Arrays.fill(out, ms);
        return out;
    }

    @Test
    void aConcentratedHistogramPreWarmsAtItsHeadAndKeepsAliveToItsTail() {
        // 20 idle times of 2.5 min, all in the bin [2, 3) min
        HybridHistogramPolicy.Windows w = idleTimes(repeat(150_000, 20)).windows();

        assertThat(w.pattern()).isEqualTo("histogram");
        assertThat(w.prewarmMs()).isEqualTo(Math.round(2 * MINUTE * 0.9));
        assertThat(w.keepAliveMs()).isEqualTo(Math.round(3 * MINUTE * 1.1));
    }

    @Test
    void idleTimesOfZeroKeepAnInstanceForOneBinAndTenPercent() {
        HybridHistogramPolicy.Windows w = idleTimes(repeat(0, 50)).windows();

        assertThat(w.prewarmMs()).isZero();
        assertThat(w.keepAliveMs()).isEqualTo(66_000);
    }

    @Test
    void aFlatHistogramOrTooFewSamplesKeepsAliveForTheWholeRange() {
        long[] flat = new long[240 * 3];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (i % 240) * MINUTE + 1;
        }
        HybridHistogramPolicy.IdleTimes uniform = idleTimes(flat);
        assertThat(uniform.coefficientOfVariation()).isLessThan(2.0);
        assertThat(uniform.windows()).isEqualTo(HybridHistogramPolicy.Windows.UNCERTAIN);
        assertThat(idleTimes(repeat(150_000, 9)).windows().keepAliveMs())
                .isEqualTo(4 * 60 * MINUTE);
    }

    @Test
    void mostIdleTimesBeyondTheRangeArePredictedFromTheirSeries() {
        // 5 h between runs, every time
        HybridHistogramPolicy.Windows w = idleTimes(repeat(5 * 60 * MINUTE, 12)).windows();

        assertThat(w.pattern()).startsWith("out of bounds");
        assertThat((double) w.prewarmMs()).isCloseTo(0.85 * 5 * 60 * MINUTE, within(1000.0));
        assertThat((double) w.keepAliveMs()).isCloseTo(1.15 * 5 * 60 * MINUTE, within(1000.0));
    }

    /** 20 runs of 10 s, each starting 630 s (bin 10) after the previous one ended at 19370. */
    private static long[][] everyTenAndAHalfMinutes() {
        long[][] history = new long[20][];
        for (int i = 0; i < 20; i++) {
            long start = 20_000_000L - 640_000L * (20 - i);
            history[i] = new long[] {start, start + 10_000, 0};
        }
        return history;
    }

    @Test
    void anIdleInstanceIsReleasedAtOnceWhenItsTypeHasAPreWarmWindow() {
        HybridHistogramPolicy policy = new HybridHistogramPolicy(1, everyTenAndAHalfMinutes());
        Workload w = runs(template(1, task("a", 100, 1)), 20_000);

        SimulationResult r =
                new Cluster(w, shape(1, 120, 60), policy, 0, 0, 30_000_000, 1, 1).run(x -> {});

        // the run at 20000 s finds no instance: a cold start, READY at 20180, done at 20280, and
        // the instance is released then (the pre-warm it asks for comes after the last run)
        assertThat(r.waitSeconds()).isEqualTo(180.0);
        assertThat(r.coldStarts()).isEqualTo(1);
        assertThat(r.instanceHours()).isCloseTo(280 / 3600.0, within(1e-9));
        assertThat(r.instancesRequested()).isEqualTo(1);
    }

    @Test
    void aPreWarmedInstanceServesTheNextRunWithoutAColdStart() {
        HybridHistogramPolicy policy = new HybridHistogramPolicy(1, everyTenAndAHalfMinutes());
        // the next run starts 630 s after the first ends at 20280
        Workload w = runs(template(1, task("a", 100, 1)), 20_000, 20_910);

        SimulationResult r =
                new Cluster(w, shape(1, 120, 60), policy, 0, 0, 30_000_000, 1, 1).run(x -> {});

        // pre-warm at 0.9 x 10 min = 540 s after 20280: asked for at 20640, READY at 20820
        assertThat(r.waitSeconds()).isEqualTo(180.0);
        assertThat(r.coldStarts()).isEqualTo(1);
        assertThat(r.instancesRequested()).isEqualTo(2);
        // paid 20000..20280, then 20640 to the end of the second run at 21010
        assertThat(r.instanceHours()).isCloseTo((280 + 370) / 3600.0, within(1e-9));
    }

    @Test
    void withoutAPreWarmWindowAnIdleInstanceIsKeptToTheEndOfItsKeepAlive() {
        // history: 500 overlapping runs (idle times of 0): keep alive 66 s, and the few idle times
        // of the simulated runs stay beyond the 99th percentile
        long[][] history = new long[500][];
        for (int i = 0; i < 500; i++) {
            history[i] = new long[] {i * 1000L, i * 1000L + 5000, 0};
        }
        HybridHistogramPolicy policy = new HybridHistogramPolicy(1, history);
        // the second run starts 60 s after the first ends (within 66 s), the third 100 s after
        Workload w = runs(template(1, task("a", 100, 1)), 1000, 1340, 1540);

        SimulationResult r =
                new Cluster(w, shape(1, 120, 60), policy, 0, 0, 30_000_000, 1, 1).run(x -> {});

        // first: a cold start (READY 1180, done 1280); second: warm (1340..1440); the instance is
        // released at 1440 + 66 = 1506; third: a cold start at 1540 (READY 1720, done 1820)
        assertThat(r.instancesRequested()).isEqualTo(2);
        assertThat(r.coldStarts()).isEqualTo(2);
        assertThat(r.waitSeconds()).isEqualTo(360.0);
        assertThat(r.instanceHours()).isCloseTo((506 + 280) / 3600.0, within(1e-9));
    }
}
