package dev.foreshadow.connectors.resources.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.connectors.resources.Check;
import dev.foreshadow.connectors.resources.ResourceManager;
import dev.foreshadow.connectors.resources.Validation;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.lifecycle.InstanceObservation;
import dev.foreshadow.models.lifecycle.InstanceShape;
import dev.foreshadow.models.lifecycle.InstanceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The simulated VM pool on a clock moved by hand. */
class SimulatedPoolTest {

    private static final Instant NINE = Instant.parse("2026-11-28T09:00:00Z");
    private static final SimulatedSettings SETTINGS =
            new SimulatedSettings(Duration.ofSeconds(120), Duration.ofSeconds(60), 0.0, 0.40, 1);
    private static final Validation READINESS_ONLY =
            new Validation(null, Duration.ofSeconds(5), 1, Duration.ZERO);

    private final AtomicReference<Instant> now = new AtomicReference<>(NINE);

    private SimulatedPool pool(String name, SimulatedSettings s) {
        return SimulatedCloud.register(name, s, now::get);
    }

    private void advance(long seconds) {
        now.set(now.get().plusSeconds(seconds));
    }

    private static InstanceState state(SimulatedPool p, String id) {
        return p.observe().instances().stream()
                .filter(i -> i.id().equals(id))
                .map(InstanceObservation::state)
                .findFirst()
                .orElse(InstanceState.RELEASED);
    }

    @Test
    void anInstanceBootsWarmsUpAndIsReadyOnlyOnceValidated() throws Exception {
        SimulatedPool p = pool("sim-life", SETTINGS);
        ResourceManager m =
                SETTINGS.open(new PoolId("sim-life"), new InstanceShape(8, 1L << 35, 0));
        String id = p.request(1).get(0);

        assertThat(id).isEqualTo("sim-life-1");
        assertThat(state(p, id)).isEqualTo(InstanceState.PROVISIONING);
        advance(120);
        assertThat(state(p, id)).isEqualTo(InstanceState.WARMING);
        assertThat(m.readiness(id).passed()).as("still warming up").isFalse();
        advance(60);
        assertThat(p.observe().instances().get(0).readiness()).isTrue();

        assertThat(READINESS_ONLY.validate(m, id, now.get().plusSeconds(60)).passed()).isTrue();
        assertThat(state(p, id)).isEqualTo(InstanceState.READY);
        m.putInService(id);
        assertThat(state(p, id)).isEqualTo(InstanceState.IN_SERVICE);
        m.drain(id);
        assertThat(state(p, id)).isEqualTo(InstanceState.DRAINING);
        m.release(id);
        assertThat(p.observe().instances()).isEmpty();
        assertThat(p.warmedUp()).isEqualTo(1);
    }

    @Test
    void theSameSeedFailsTheSameInstancesAtAboutTheFailureRate() {
        SimulatedSettings s = new SimulatedSettings(Duration.ZERO, Duration.ZERO, 0.1, 0.4, 42);
        SimulatedPool a = pool("sim-seed-a", s);
        SimulatedPool b = pool("sim-seed-b", s);
        SimulatedPool other =
                pool(
                        "sim-seed-c",
                        new SimulatedSettings(Duration.ZERO, Duration.ZERO, 0.1, 0.4, 43));
        List<String> ids = a.request(2000);
        b.request(2000);
        other.request(2000);

        List<Integer> doomedA = doomed(a, ids);
        List<Integer> doomedB =
                doomed(b, ids.stream().map(i -> i.replace("sim-seed-a", "sim-seed-b")).toList());
        List<Integer> doomedOther =
                doomed(
                        other,
                        ids.stream().map(i -> i.replace("sim-seed-a", "sim-seed-c")).toList());

        assertThat(doomedA).isEqualTo(doomedB);
        assertThat(doomedA).isNotEqualTo(doomedOther);
        assertThat(doomedA.size() / 2000.0).isCloseTo(0.1, within(0.02));
    }

    private static List<Integer> doomed(SimulatedPool p, List<String> ids) {
        return IntStream.range(0, ids.size())
                .filter(i -> !p.simulatedSmokeCheck(ids.get(i)).passed())
                .boxed()
                .toList();
    }

    @Test
    void aDoomedInstanceFailsItsValidationAndNeverServes() throws Exception {
        SimulatedSettings alwaysFails =
                new SimulatedSettings(Duration.ZERO, Duration.ZERO, 1.0, 0.4, 7);
        SimulatedPool p = pool("sim-doomed", alwaysFails);
        ResourceManager m =
                alwaysFails.open(new PoolId("sim-doomed"), new InstanceShape(8, 1L << 35, 0));
        String id = p.request(1).get(0);

        Check c = READINESS_ONLY.validate(m, id, now.get().plusSeconds(60));

        assertThat(c.detail())
                .isEqualTo("smoke check: simulated warm-up failure (failure rate 1.0, seed 7)");
        assertThat(state(p, id)).isEqualTo(InstanceState.FAILED);
        assertThatThrownBy(() -> m.putInService(id))
                .hasMessage(id + " is not validated: it cannot serve");
        assertThat(p.failedWarmUps()).isEqualTo(1);
    }

    @Test
    void anInstanceIsBusyWhileItHasWork() throws Exception {
        SimulatedPool p =
                pool("sim-busy", new SimulatedSettings(Duration.ZERO, Duration.ZERO, 0, 0.4, 1));
        ResourceManager m =
                p.settings().open(new PoolId("sim-busy"), new InstanceShape(8, 1L << 35, 0));
        String id = p.request(1).get(0);
        READINESS_ONLY.validate(m, id, now.get().plusSeconds(1));
        m.putInService(id);

        p.occupy(id, Duration.ofMinutes(10));

        assertThat(p.observe().instances().get(0).busy()).isTrue();
        advance(600);
        assertThat(p.observe().instances().get(0).busy()).isFalse();
    }

    @Test
    void eachInstanceCostsFromItsRequestToItsRelease() {
        SimulatedPool p = pool("sim-cost", SETTINGS);
        List<String> ids = p.request(2);
        advance(1800);
        p.release(ids.get(0));
        advance(1800);

        assertThat(p.instanceHours()).isCloseTo(1.5, within(1e-9));
        assertThat(p.cost()).isCloseTo(0.60, within(1e-9));
    }
}
