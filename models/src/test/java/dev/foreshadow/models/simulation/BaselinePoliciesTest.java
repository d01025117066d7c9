package dev.foreshadow.models.simulation;

import static dev.foreshadow.models.simulation.Dags.runs;
import static dev.foreshadow.models.simulation.Dags.shape;
import static dev.foreshadow.models.simulation.Dags.task;
import static dev.foreshadow.models.simulation.Dags.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.models.planning.HorizontalPodAutoscaler;
import org.junit.jupiter.api.Test;

/** Each baseline policy inside the simulator, against its published rule. */
class BaselinePoliciesTest {

    private static final InstanceShape ONE_CORE = shape(1, 120, 60);

    private static SimulationResult oracle(Workload w, double toSeconds) {
        long to = Math.round(toSeconds * 1000);
        UnboundedDemand demand = UnboundedDemand.of(w, ONE_CORE, 0, to, 5_000, 0, to, 1);
        return new Cluster(w, ONE_CORE, new OraclePolicy(demand, ONE_CORE.leadMs()), 0, 0, to, 1, 1)
                .run(t -> {});
    }

    @Test
    void theOracleRequestsOneLeadTimeBeforeTheNeedAndNothingWaits() {
        Workload w = runs(template(1, task("a", 100, 1)), 1000);

        SimulationResult r = oracle(w, 2000);

        // requested at 820 (180 s ahead), READY at 1000, the task runs 1000..1100
        assertThat(r.waitSeconds()).isZero();
        assertThat(r.instanceHours()).isCloseTo(280 / 3600.0, within(1e-12));
    }

    @Test
    void theOracleReleasesWhatIsNotNeededWithinOneLeadTimeAndKeepsWhatIs() {
        Template t = template(1, task("a", 100, 1));

        // 400 s between the end at 1100 and the next need at 1500: released, requested at 1320
        SimulationResult apart = oracle(runs(t, 1000, 1500), 3000);
        // 150 s between the end at 1100 and the next need at 1250: kept until 1350
        SimulationResult close = oracle(runs(t, 1000, 1250), 3000);

        assertThat(apart.instanceHours()).isCloseTo((280 + 280) / 3600.0, within(1e-12));
        assertThat(close.instanceHours()).isCloseTo((1350 - 820) / 3600.0, within(1e-12));
        assertThat(apart.waitSeconds()).isZero();
        assertThat(close.waitSeconds()).isZero();
    }

    @Test
    void theReactivePolicyScalesAtEachSyncByTheHpaRule() {
        // 6 one-core tasks of 1000 s at 200 s on 1-core instances, one READY at the start
        Template wide =
                template(
                        1,
                        task("a", 1000, 1),
                        task("b", 1000, 1),
                        task("c", 1000, 1),
                        task("d", 1000, 1),
                        task("e", 1000, 1),
                        task("f", 1000, 1));
        Workload w = runs(wide, 200);
        ReactivePolicy hpa = new ReactivePolicy(HorizontalPodAutoscaler.Settings.defaults(100));

        SimulationResult r = new Cluster(w, ONE_CORE, hpa, 0, 0, 5000_000, 1, 1).run(t -> {});

        // READY at 180; at 200 one task runs; the sync at 210 sees 1 pod at 100%: ceil(1 / 0.7)
        // = 2; later syncs see 1 ready and 1 unready pod, (1 / 2) / 0.7 < 1: no change. At 390 the
        // second is READY and 2 at 100% ask for ceil(2.86) = 3; at 570 3 ask for 5; at 750 5 ask
        // for 8, READY at 930. Tasks start at 200, 390, 570, 750, 750 and 930.
        assertThat(r.waitSeconds()).isEqualTo(190.0 + 370 + 550 + 550 + 730);
        assertThat(r.instancesRequested()).isEqualTo(8);
    }
}
