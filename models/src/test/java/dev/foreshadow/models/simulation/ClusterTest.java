package dev.foreshadow.models.simulation;

import static dev.foreshadow.models.simulation.Dags.fixed;
import static dev.foreshadow.models.simulation.Dags.runs;
import static dev.foreshadow.models.simulation.Dags.shape;
import static dev.foreshadow.models.simulation.Dags.simulate;
import static dev.foreshadow.models.simulation.Dags.task;
import static dev.foreshadow.models.simulation.Dags.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClusterTest {

    private static final InstanceShape ONE_CORE_180S_LEAD = shape(1, 120, 60);

    @Test
    void aTaskWaitsForTheOnlyInstanceToBootAndItsCostRunsFromRequestToTheEnd() {
        Template one = template(1, task("a", 100, 1));
        Workload w = runs(one, 0);

        SimulationResult r = simulate(w, ONE_CORE_180S_LEAD, fixed(1), 0, 1);

        // requested at 0, READY at 180, the task runs 180..280; the pool is paid 0..280
        assertThat(r.waitSeconds()).isEqualTo(180.0);
        assertThat(r.taskSeconds()).isEqualTo(100.0);
        assertThat(r.waitShare()).isCloseTo(180.0 / 280, within(1e-12));
        assertThat(r.instanceHours()).isCloseTo(280 / 3600.0, within(1e-12));
        assertThat(r.coldStarts()).isEqualTo(1);
        assertThat(r.p50DelaySeconds()).isEqualTo(180.0);
        assertThat(r.tasks()).isEqualTo(1);
    }

    @Test
    void aRunArrivingAfterItsInstanceIsReadyDoesNotWait() {
        Template one = template(1, task("a", 100, 1));
        Workload w = runs(one, 200);

        SimulationResult r = simulate(w, ONE_CORE_180S_LEAD, fixed(1), 0, 300);

        assertThat(r.waitSeconds()).isZero();
        assertThat(r.coldStarts()).isZero();
        assertThat(r.p50DelaySeconds()).isZero();
        assertThat(r.instanceHours()).isCloseTo(300 / 3600.0, within(1e-12));
    }

    @Test
    void parallelTasksOnOneCoreRunOneAfterTheOtherAndTheDagOrderHolds() {
        // a (10 s) then b and c (20 s each, in parallel on an unbounded cluster) then d (5 s)
        Template diamond =
                template(
                        1,
                        task("a", 10, 1),
                        task("b", 20, 1, "a"),
                        task("c", 20, 1, "a"),
                        task("d", 5, 1, "b", "c"));
        assertThat(diamond.criticalPathMs).isEqualTo(35_000);
        Workload w = runs(diamond, 200);

        SimulationResult r = simulate(w, ONE_CORE_180S_LEAD, fixed(1), 0, 300);

        // on one core: a 200..210, b 210..230, c waits 20 s and runs 230..250, d 250..255; the
        // simulation ends with the last run
        assertThat(r.waitSeconds()).isEqualTo(20.0);
        assertThat(r.taskSeconds()).isEqualTo(55.0);
        assertThat(r.p50DelaySeconds()).isEqualTo(20.0);
        assertThat(r.coldStarts()).isZero();
        assertThat(r.instanceHours()).isCloseTo(255 / 3600.0, within(1e-12));
    }

    @Test
    void aSmallTaskIsNotHeldBehindALargeOneThatDoesNotFit() {
        // a 1-core task runs on a 2-core instance; then a 2-core task waits, and a 1-core task
        // ready after it still starts at once on the free core
        Template t =
                template(
                        2,
                        task("long", 100, 1),
                        task("wide", 10, 2),
                        task("narrow", 10, 1, "wide0"),
                        task("wide0", 1, 1));
        Workload w = runs(t, 200);

        SimulationResult r = simulate(w, shape(2, 120, 60), fixed(1), 0, 400);

        // long 200..300 and wide0 200..201 (2 cores busy); wide (2 cores) waits until 300;
        // narrow is ready at 201 and starts at once on the core wide0 freed
        assertThat(r.waitSeconds()).isEqualTo(100.0);
        assertThat(r.taskSeconds()).isEqualTo(121.0);
    }

    @Test
    void aWarmUpFailureIsReplacedAndTheFailedInstanceIsPaidUntilItFails() {
        Template one = template(1, task("a", 100, 1));
        Workload w = runs(one, 0);
        InstanceShape halfFail = new InstanceShape(1, 32L << 30, 120_000, 60_000, 0.5, 1.0);
        long seed = 0;
        while (!(new SplittableRandom(seed).nextDouble() < 0.5
                && new SplittableRandom(seed).doubles(2).skip(1).findFirst().getAsDouble()
                        >= 0.5)) {
            seed++; // the first seed whose first warm-up fails and whose second succeeds
        }

        SimulationResult r = new Cluster(w, halfFail, fixed(1), 0, 0, 1000, seed, 10).run(t -> {});

        assertThat(r.warmupFailures()).isEqualTo(1);
        assertThat(r.instancesRequested()).isEqualTo(2);
        // the first instance fails at 180 and is paid 0..180; its replacement is READY at 360,
        // the task runs 360..460
        assertThat(r.waitSeconds()).isEqualTo(360.0);
        assertThat(r.instanceHours()).isCloseTo((180 + 280) / 3600.0, within(1e-12));
    }

    @Test
    void onlyRunsStartingInTheMeasuredSpanAreMeasured() {
        Template one = template(1, task("a", 100, 1));
        Workload w = runs(one, 0, 500);

        SimulationResult r =
                new Cluster(w, ONE_CORE_180S_LEAD, fixed(1), 0, 400_000, 1_000_000, 1, 10)
                        .run(t -> {});

        assertThat(r.tasks()).isEqualTo(1);
        assertThat(r.waitSeconds()).isZero();
        // paid from the measured span's start (400) to the end (600)
        assertThat(r.instanceHours()).isCloseTo(200 / 3600.0, within(1e-12));
    }

    @Test
    void scalingInReleasesIdleInstancesAndDrainsBusyOnesUntilTheirTaskEnds() {
        Template t = template(1, task("a", 100, 1));
        Workload w = runs(t, 200);
        Policy shrink =
                new Policy() {
                    @Override
                    public String name() {
                        return "shrink";
                    }

                    @Override
                    public long periodMs() {
                        return 250_000;
                    }

                    @Override
                    public void start(Cluster cluster, long now) {
                        cluster.scaleTo(2);
                    }

                    @Override
                    public void tick(Cluster cluster, long now) {
                        if (now == 250_000) {
                            cluster.scaleTo(0);
                        }
                    }
                };

        SimulationResult r = simulate(w, ONE_CORE_180S_LEAD, shrink, 0, 300);

        // both READY at 180; at 250 the idle one is released (paid 0..250), the busy one drains
        // and is released when its task ends at 300 (paid 0..300)
        assertThat(r.waitSeconds()).isZero();
        assertThat(r.instanceHours()).isCloseTo((250 + 300) / 3600.0, within(1e-12));
    }
}
