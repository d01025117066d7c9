package dev.foreshadow.models.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.models.demand.PoolDemand;
import dev.foreshadow.models.domain.AllocationReason;
import dev.foreshadow.models.domain.PoolId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The planner on synthetic demand forecasts whose right answers are known. */
class PlannerTest {

    private static final long LEAD = 180_000;
    private static final long PERIOD = 15_000;
    private static final long DAY = 86_400_000;
    private static final int CORES = 8;

    private static PoolSpec pool(int max, double budget, boolean forecastOnly) {
        return new PoolSpec(
                new PoolId("shop/orders"),
                CORES,
                32L << 30,
                LEAD,
                0,
                max,
                1.0,
                budget,
                60_000,
                Set.of(),
                forecastOnly);
    }

    private static PlannerSettings settings() {
        return new PlannerSettings(0.9, 0.5, 0.99, 0.01, PERIOD);
    }

    /** A forecast of the cores at now + lead (and through the period) with a given spread. */
    private static PoolDemand forecast(long now, LongToDoubleFunction mean, double sd) {
        long[] at = {now + LEAD, now + LEAD + PERIOD / 2, now + LEAD + PERIOD};
        double[] m = new double[3];
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) {
            m[i] = mean.applyAsDouble(at[i]);
            v[i] = sd * sd;
        }
        return new PoolDemand(
                at,
                m,
                v,
                new double[3],
                new double[3],
                1000,
                m[0],
                0,
                Map.of("orders", "test: exact"),
                List.of(),
                List.of(),
                true);
    }

    private static PoolObservation working(double busy, double queued) {
        return new PoolObservation((int) Math.ceil(busy / CORES), 0, busy, queued);
    }

    @Test
    void aPureDailyCycleIsProvisionedOneLeadTimeAhead() {
        LongToDoubleFunction cycle = t -> 200 + 150 * Math.sin(2 * Math.PI * t / DAY);
        Planner planner = new Planner(pool(1000, 0, false), settings());

        for (long now = 0; now < DAY; now += PERIOD) {
            Decision d =
                    planner.plan(
                            now, working(cycle.applyAsDouble(now), 0), forecast(now, cycle, 0));

            // ready one lead time ahead, for exactly the demand then (an exact forecast)
            assertThat(d.readyByMs()).isEqualTo(now + LEAD);
            assertThat(d.expiresAtMs()).isEqualTo(now + LEAD + PERIOD);
            double peak =
                    Math.max(
                            cycle.applyAsDouble(now + LEAD),
                            Math.max(
                                    cycle.applyAsDouble(now + LEAD + PERIOD / 2),
                                    cycle.applyAsDouble(now + LEAD + PERIOD)));
            int needed = (int) Math.ceil(peak / CORES - 1e-9);
            int present = (int) Math.ceil(cycle.applyAsDouble(now) / CORES - 1e-9);
            assertThat(d.instances()).isEqualTo(Math.max(needed, present));
            if (needed > present) {
                // on the rising side the capacity is asked for before the work is there
                assertThat(d.reason()).isEqualTo(AllocationReason.FORECAST);
                assertThat(d.rule()).isEqualTo("forecast");
            }
        }
    }

    @Test
    void aStepChangeIsFollowedAtOnceByTheReactiveFloorAndRaisesTheQuantileWithinItsBound() {
        Planner planner = new Planner(pool(1000, 0, false), settings());
        LongToDoubleFunction stale = t -> 80; // the forecast still expects the old level
        double beforeStep = 0;
        for (long now = 0; now < 1_800_000; now += PERIOD) {
            double realised = now < 600_000 ? 80 : 240; // the demand triples at 10 min
            Decision d = planner.plan(now, working(realised, 0), forecast(now, stale, 10));
            if (now == 600_000 - PERIOD) {
                beforeStep = planner.quantile();
            }
            if (now >= 600_000) {
                // never below the work present, from the first plan after the step
                assertThat(d.instances()).isGreaterThanOrEqualTo(240 / CORES);
            }
            if (now == 600_000 + LEAD) {
                // the 12 plans made before the step for after it were exceeded, each raising the
                // quantile by 0.01 x (1 - 0.1); the first plan after it, which the floor sized
                // right, held and lowered it by 0.01 x 0.1
                assertThat(planner.quantile())
                        .isCloseTo(beforeStep + 12 * 0.009 - 0.001, within(1e-9));
            }
            assertThat(planner.quantile()).isBetween(0.5, 0.99);
        }
    }

    @Test
    void aPlannerRestoredFromAnothersMemoryAdaptsAsTheOriginalWouldHave() {
        Planner original = new Planner(pool(1000, 0, false), settings());
        LongToDoubleFunction stale = t -> 80;
        long now = 0;
        for (; now < 600_000; now += PERIOD) {
            original.plan(now, working(80, 0), forecast(now, stale, 10)); // always held
        }
        Planner restored = new Planner(pool(1000, 0, false), settings());
        restored.restore(original.memory());

        // plans that held lowered the quantile below the configured 0.9
        assertThat(restored.quantile()).isEqualTo(original.quantile()).isLessThan(0.89);
        // the plans not yet scored (all exceeded now) are scored by both alike
        for (; now < 900_000; now += PERIOD) {
            original.plan(now, working(400, 0), forecast(now, stale, 10));
            restored.plan(now, working(400, 0), forecast(now, stale, 10));
            assertThat(restored.quantile()).isEqualTo(original.quantile());
        }
    }

    @Test
    void theBudgetAndTheMaximumAreNeverExceeded() {
        SplittableRandom random = new SplittableRandom(3);
        Planner budgeted = new Planner(pool(50, 12.5, false), settings()); // 12 instances
        Planner capped = new Planner(pool(9, 0, false), settings());
        for (long now = 0; now < 3_600_000; now += PERIOD) {
            double demand = random.nextDouble() * 400;
            double queued = random.nextDouble() * 200;
            PoolObservation seen = working(demand, queued);
            Decision b = budgeted.plan(now, seen, forecast(now, t -> demand * 1.5, 40));
            Decision c = capped.plan(now, seen, forecast(now, t -> demand * 1.5, 40));
            assertThat(b.instances()).isLessThanOrEqualTo(12);
            assertThat(c.instances()).isLessThanOrEqualTo(9);
            if (demand + queued > 12 * CORES) {
                assertThat(b.rule()).endsWith("budget");
            }
        }
    }

    @Test
    void withoutAForecastThePoolIsReactiveAndNeverEmptyWhileWorkWaits() {
        Planner planner = new Planner(pool(1000, 0, false), settings());
        PoolDemand none =
                new PoolDemand(
                        new long[] {LEAD},
                        new double[1],
                        new double[1],
                        new double[1],
                        new double[1],
                        0,
                        0,
                        0,
                        Map.of("orders", "none: no history"),
                        List.of(),
                        List.of(),
                        false);

        // nothing READY yet and one task waiting: the floor asks for an instance
        Decision first = planner.plan(0, new PoolObservation(0, 0, 0, 2), none);
        assertThat(first.instances()).isEqualTo(1);
        assertThat(first.reason()).isEqualTo(AllocationReason.REACTIVE);
        assertThat(first.rule()).isEqualTo("reactive (no forecast: none: no history)");
        assertThat(first.quantile()).isNaN();

        // 4 READY instances at 100%: the HPA rule's ceil(4 x 1.0 / 0.7) = 6
        Decision busy = planner.plan(PERIOD, new PoolObservation(4, 0, 32, 0), none);
        assertThat(busy.instances()).isEqualTo(6);
        assertThat(busy.reason()).isEqualTo(AllocationReason.REACTIVE);
    }

    @Test
    void forecastOnlyModeMarksEveryDecisionDryRun() {
        Planner planner = new Planner(pool(1000, 0, true), settings());

        Decision d = planner.plan(0, working(16, 0), forecast(0, t -> 100, 5));

        assertThat(d.dryRun()).isTrue();
        assertThat(d.instances()).isEqualTo(14); // ceil((100 + 1.28 x 5) / 8)
        assertThat(d.networkBytesPerSecond()).isEqualTo(1000);
        assertThat(d.basis().models()).containsEntry("orders", "test: exact");
    }

    /**
     * An exact forecast (no spread) of {@code inFlight} cores from the runs already started and
     * {@code arrivals} cores from runs still to come, at every moment of the period.
     */
    private static PoolDemand exact(long now, double inFlight, double arrivals) {
        long[] at = {now + LEAD, now + LEAD + PERIOD / 2, now + LEAD + PERIOD};
        double[] m = {inFlight + arrivals, inFlight + arrivals, inFlight + arrivals};
        return new PoolDemand(
                at,
                m,
                new double[3],
                new double[3],
                new double[3],
                0,
                inFlight,
                arrivals,
                Map.of("orders", "test: exact"),
                List.of(),
                List.of(),
                true);
    }

    @Test
    void theQueuedWorkOfAHeldUpRunIsCountedOnceByTheFloorAndTheForecastTogether() {
        Planner planner = new Planner(pool(1000, 0, false), settings());
        // 16 cores run and 16 wait (a held-up run's ready tasks): the floor is 32 / 8 = 4
        // instances.
        // The forecast one lead time ahead counts the same 32 cores of the runs in flight (the
        // waiting tasks are still to run then) and 16 cores of runs still to arrive: 48 / 8 = 6.
        Decision d = planner.plan(0, working(16, 16), exact(0, 32, 16));

        assertThat(d.basis().reactiveInstances()).isEqualTo(4);
        assertThat(d.basis().forecastInstances()).isEqualTo(6);
        // the higher of the two, not their sum (4 + 6 = 10, the 32 cores twice); and not the
        // forecast with the waiting 16 cores taken out of it (32 / 8 = 4), which would leave the
        // 16 cores still to arrive waiting behind the held-up run's tasks
        assertThat(d.instances()).isEqualTo(6);
        assertThat(d.rule()).isEqualTo("forecast");

        // the runs in flight are expected to end their work before the lead time is up (8 cores
        // then): the work present now is the floor, and the forecast adds nothing to it
        Decision ending = planner.plan(PERIOD, working(16, 16), exact(PERIOD, 8, 0));

        assertThat(ending.basis().forecastInstances()).isEqualTo(1);
        assertThat(ending.instances()).isEqualTo(4);
        assertThat(ending.rule()).isEqualTo("reactive floor");
    }
}
