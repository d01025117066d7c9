package dev.foreshadow.models.lifecycle;

import static dev.foreshadow.models.lifecycle.InstanceState.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.models.domain.AllocationReason;
import dev.foreshadow.models.domain.PoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure reconciliation of one pool: the decisions, with time moved by hand. */
class ReconciliationTest {

    private static final PoolId POOL = new PoolId("shop/orders");
    private static final Instant NINE = Instant.parse("2026-11-28T09:00:00Z");
    private static final Duration LEAD = Duration.ofMinutes(3);
    private static final Duration COOLDOWN = Duration.ofMinutes(5);
    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final PoolLimits LIMITS =
            new PoolLimits(1, 5, COOLDOWN, LEAD, DEADLINE, Duration.ofSeconds(30), Duration.ZERO);

    /** One pool's state between steps, as the Flink operator keeps it. */
    private final class Pool {
        final PoolLimits limits;
        Map<String, Instance> instances = new HashMap<>();
        Map<String, Floor> floors = new HashMap<>();
        PoolRecord record = PoolRecord.initial();
        Reconciliation last;

        Pool(PoolLimits limits) {
            this.limits = limits;
        }

        Reconciliation.Outcome accept(Floor f, boolean dryRun) {
            Reconciliation r = start();
            Reconciliation.Outcome o = r.accept(f, dryRun, f.readyBy().minus(Duration.ofHours(1)));
            keep(r);
            return o;
        }

        Reconciliation observe(Instant at, int pending, InstanceObservation... seen) {
            return observeAutoscaled(at, pending, 0, seen);
        }

        Reconciliation observeAutoscaled(
                Instant at, int pending, int autoscaled, InstanceObservation... seen) {
            Reconciliation r = start();
            r.observe(PoolObservation.of(POOL.name(), at, pending, autoscaled, List.of(seen)));
            keep(r);
            return r;
        }

        void restart(Instant at) {
            Reconciliation r = start();
            r.restarted(at);
            keep(r);
        }

        private Reconciliation start() {
            return new Reconciliation(POOL, limits, record, instances, floors);
        }

        private void keep(Reconciliation r) {
            instances = r.instances();
            floors = r.floors();
            record = r.record();
            last = r;
        }
    }

    private static Floor floor(String id, int instances, Instant readyBy, Instant expiresAt) {
        return new Floor(id, instances, readyBy, expiresAt, AllocationReason.FORECAST, 7L, false);
    }

    private static InstanceObservation seen(String id, InstanceState s) {
        return new InstanceObservation(id, s, false, false, null);
    }

    private static InstanceObservation warmedUp(String id) {
        return new InstanceObservation(id, WARMING, true, false, null);
    }

    private static InstanceObservation busy(String id) {
        return new InstanceObservation(id, IN_SERVICE, true, true, null);
    }

    private static List<String> calls(Reconciliation r) {
        return r.calls().stream()
                .map(
                        c ->
                                c.kind()
                                        + (c.instanceId() == null
                                                ? " " + c.count()
                                                : " " + c.instanceId())
                                        + " "
                                        + c.rule())
                .toList();
    }

    private static List<String> transitions(Reconciliation r) {
        return r.changes().stream()
                .filter(c -> c.kind() == ChangeKind.TRANSITION)
                .map(c -> c.instanceId() + " " + c.from() + "->" + c.to() + " " + c.rule())
                .toList();
    }

    @Test
    void aFloorIsRequestedOneLeadTimeBeforeItsReadyByAndTheMinimumAtOnce() {
        Pool p = new Pool(LIMITS);
        Instant readyBy = NINE.plus(Duration.ofMinutes(10));
        assertThat(p.accept(floor("c1", 3, readyBy, readyBy.plus(Duration.ofHours(1))), false))
                .isEqualTo(Reconciliation.Outcome.ACCEPTED);

        assertThat(calls(p.observe(NINE, 0))).containsExactly("PROVISION 1 minimum");
        assertThat(calls(p.observe(readyBy.minus(LEAD).minusSeconds(1), 1))).isEmpty();

        Reconciliation r = p.observe(readyBy.minus(LEAD), 1);

        assertThat(calls(r)).containsExactly("PROVISION 3 floor");
        assertThat(r.calls().get(0).commandId()).isEqualTo("c1");
        assertThat(r.changes())
                .filteredOn(c -> c.kind() == ChangeKind.TARGET)
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.result())
                                        .isEqualTo("target 3 (was 1): the largest floor in force"));
    }

    @Test
    void anInstanceGoesThroughEveryStateAndOnlyAValidatedOneIsPutInService() {
        Pool p = new Pool(LIMITS);
        p.observe(NINE, 0);

        Reconciliation booting = p.observe(NINE.plusSeconds(5), 0, seen("i-1", PROVISIONING));
        assertThat(transitions(booting))
                .containsExactly(
                        "i-1 null->requested minimum", "i-1 requested->provisioning observed");

        assertThat(calls(p.observe(NINE.plusSeconds(10), 0, seen("i-1", WARMING))))
                .as("no validation before the readiness probe passes")
                .isEmpty();
        Reconciliation warmed = p.observe(NINE.plusSeconds(15), 0, warmedUp("i-1"));
        assertThat(calls(warmed)).containsExactly("VALIDATE i-1 validation");
        assertThat(warmed.calls().get(0).deadline()).isEqualTo(NINE.plusSeconds(10).plus(DEADLINE));
        assertThat(calls(p.observe(NINE.plusSeconds(20), 0, warmedUp("i-1"))))
                .as("one call in flight per instance")
                .isEmpty();

        Reconciliation ready = p.observe(NINE.plusSeconds(25), 0, seen("i-1", READY));
        assertThat(transitions(ready)).containsExactly("i-1 warming->ready validation");
        assertThat(calls(ready)).containsExactly("PUT_IN_SERVICE i-1 put-in-service");

        Reconciliation serving = p.observe(NINE.plusSeconds(30), 0, seen("i-1", IN_SERVICE));
        assertThat(transitions(serving)).containsExactly("i-1 ready->in-service put-in-service");
        assertThat(serving.capacity()).isEqualTo(new Capacity(1, 0, 0, 0, 0, 1, 0, 0));
    }

    @Test
    void aFailedWarmUpIsReleasedAndReplacedAndNeverPutInService() {
        Pool p = new Pool(LIMITS);
        p.observe(NINE, 0);
        p.observe(NINE.plusSeconds(5), 0, warmedUp("i-1"));

        Reconciliation failed =
                p.observe(
                        NINE.plusSeconds(10),
                        0,
                        new InstanceObservation(
                                "i-1", FAILED, false, false, "smoke check: HTTP 503"));

        assertThat(transitions(failed)).containsExactly("i-1 warming->failed validation");
        assertThat(failed.changes().get(0).result()).isEqualTo("smoke check: HTTP 503");
        assertThat(calls(failed))
                .containsExactly("RELEASE i-1 release-failed", "PROVISION 1 replace-failed");

        Reconciliation replaced = p.observe(NINE.plusSeconds(15), 0, seen("i-2", PROVISIONING));
        assertThat(transitions(replaced))
                .containsExactly(
                        "i-2 null->requested replace-failed",
                        "i-2 requested->provisioning observed",
                        "i-1 failed->released release-failed");
        assertThat(p.instances).containsOnlyKeys("i-2");
    }

    @Test
    void aWarmUpThatDoesNotPassWithinTheDeadlineIsFailed() {
        Pool p = new Pool(LIMITS);
        p.observe(NINE, 0);
        p.observe(NINE.plusSeconds(5), 0, seen("i-1", WARMING));

        assertThat(
                        calls(
                                p.observe(
                                        NINE.plusSeconds(5).plus(DEADLINE).minusSeconds(1),
                                        0,
                                        seen("i-1", WARMING))))
                .isEmpty();
        Reconciliation late =
                p.observe(NINE.plusSeconds(5).plus(DEADLINE), 0, seen("i-1", WARMING));

        assertThat(late.calls())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.kind()).isEqualTo(CallKind.FAIL);
                            assertThat(c.detail()).isEqualTo("not validated within PT2M");
                        });
    }

    @Test
    void aReplayedCommandChangesNothingAndAnotherUnderTheSameIdIsAConflict() {
        Pool p = new Pool(LIMITS);
        Floor f = floor("c1", 2, NINE.plusSeconds(600), NINE.plusSeconds(3600));
        p.accept(f, false);
        Map<String, Floor> before = p.floors;

        assertThat(p.accept(f, false)).isEqualTo(Reconciliation.Outcome.DUPLICATE);
        assertThat(p.last.changes()).isEmpty();
        assertThat(p.floors).isEqualTo(before);
        Floor other = new Floor("c1", 4, f.readyBy(), f.expiresAt(), f.reason(), 8L, false);
        assertThat(p.accept(other, false)).isEqualTo(Reconciliation.Outcome.CONFLICT);
        assertThat(p.floors).isEqualTo(before);
    }

    @Test
    void aDryRunIsRecordedAndNeverApplied() {
        Pool p =
                new Pool(
                        new PoolLimits(
                                0,
                                5,
                                COOLDOWN,
                                LEAD,
                                DEADLINE,
                                Duration.ofSeconds(30),
                                Duration.ZERO));

        assertThat(p.accept(floor("d1", 3, NINE, NINE.plusSeconds(3600)), true))
                .isEqualTo(Reconciliation.Outcome.DRY_RUN);

        assertThat(p.last.changes())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.rule()).isEqualTo(Rule.DRY_RUN);
                            assertThat(c.result())
                                    .startsWith("recorded, not applied: floor of 3 instances");
                        });
        assertThat(p.floors).isEmpty();
        assertThat(calls(p.observe(NINE.plusSeconds(1), 0))).isEmpty();
    }

    @Test
    void expiredFloorsGiveCapacityBackAfterTheCooldownNeverBelowTheMinimumAndIdleInstancesFirst() {
        Pool p = new Pool(LIMITS);
        Instant end = NINE.plusSeconds(600);
        p.accept(floor("c1", 3, NINE.plus(LEAD), end), false);
        p.observe(NINE, 0, seen("a", IN_SERVICE), busy("b"), seen("c", IN_SERVICE));

        Reconciliation expired =
                p.observe(end, 0, seen("a", IN_SERVICE), busy("b"), seen("c", IN_SERVICE));
        assertThat(expired.changes())
                .extracting(Change::kind)
                .contains(ChangeKind.EXPIRE, ChangeKind.TARGET);
        assertThat(expired.record().target()).isEqualTo(1);
        assertThat(calls(expired)).as("not within the cooldown").isEmpty();

        Reconciliation after =
                p.observe(
                        end.plus(COOLDOWN),
                        0,
                        seen("a", IN_SERVICE),
                        busy("b"),
                        seen("c", IN_SERVICE));
        assertThat(calls(after))
                .as("down to the minimum of 1, the busy one kept")
                .containsExactly("DRAIN c scale-in", "DRAIN a scale-in");

        Reconciliation drained =
                p.observe(
                        end.plus(COOLDOWN).plusSeconds(5),
                        0,
                        seen("a", DRAINING),
                        busy("b"),
                        seen("c", DRAINING));
        assertThat(calls(drained)).containsExactly("RELEASE a drained", "RELEASE c drained");
        Reconciliation released = p.observe(end.plus(COOLDOWN).plusSeconds(10), 0, busy("b"));
        assertThat(transitions(released))
                .containsExactly("a draining->released drained", "c draining->released drained");
        assertThat(released.capacity()).isEqualTo(new Capacity(1, 0, 0, 0, 0, 1, 0, 0));
    }

    @Test
    void aRestartGivesNothingBackUntilACooldownFromItHasPassed() {
        Pool p = new Pool(LIMITS);
        Instant end = NINE.plusSeconds(600);
        p.accept(floor("c1", 3, NINE.plus(LEAD), end), false);
        p.observe(NINE, 0, seen("a", IN_SERVICE), seen("b", IN_SERVICE), seen("c", IN_SERVICE));
        p.observe(end, 0, seen("a", IN_SERVICE), seen("b", IN_SERVICE), seen("c", IN_SERVICE));
        assertThat(p.record.target()).isEqualTo(1);

        // restored from a checkpoint a cooldown later: the commands read again may ask for the
        // capacity anew, so none of it is given back yet
        Instant restart = end.plus(COOLDOWN);
        p.restart(restart);
        assertThat(
                        calls(
                                p.observe(
                                        restart,
                                        0,
                                        seen("a", IN_SERVICE),
                                        seen("b", IN_SERVICE),
                                        seen("c", IN_SERVICE))))
                .as("within the cooldown from the restart")
                .isEmpty();
        assertThat(
                        calls(
                                p.observe(
                                        restart.plus(COOLDOWN),
                                        0,
                                        seen("a", IN_SERVICE),
                                        seen("b", IN_SERVICE),
                                        seen("c", IN_SERVICE))))
                .as("once it has passed")
                .hasSize(2);
    }

    @Test
    void anInstanceWithWorkIsDrainedButReleasedOnlyWhenItsWorkIsDone() {
        Pool p =
                new Pool(
                        new PoolLimits(
                                0,
                                5,
                                Duration.ZERO,
                                LEAD,
                                DEADLINE,
                                Duration.ofSeconds(30),
                                Duration.ZERO));
        assertThat(calls(p.observe(NINE, 0, busy("b")))).containsExactly("DRAIN b scale-in");
        InstanceObservation drainingWithWork =
                new InstanceObservation("b", DRAINING, true, true, null);
        assertThat(calls(p.observe(NINE.plusSeconds(2), 0, drainingWithWork))).isEmpty();
        assertThat(calls(p.observe(NINE.plusSeconds(60), 0, drainingWithWork))).isEmpty();

        assertThat(calls(p.observe(NINE.plusSeconds(61), 0, seen("b", DRAINING))))
                .containsExactly("RELEASE b drained");
    }

    @Test
    void readyByIsMetOnlyByInstancesValidatedInTime() {
        Pool p =
                new Pool(
                        new PoolLimits(
                                0,
                                5,
                                COOLDOWN,
                                LEAD,
                                DEADLINE,
                                Duration.ofSeconds(30),
                                Duration.ZERO));
        Instant readyBy = NINE.plus(LEAD);
        p.accept(floor("c1", 2, readyBy, readyBy.plusSeconds(600)), false);
        p.accept(floor("c2", 2, readyBy.plusSeconds(60), readyBy.plusSeconds(600)), false);
        p.observe(NINE, 0);
        p.observe(readyBy.minusSeconds(1), 0, seen("a", IN_SERVICE), seen("b", WARMING));

        Reconciliation atReadyBy = p.observe(readyBy, 0, seen("a", IN_SERVICE), seen("b", WARMING));
        Reconciliation later =
                p.observe(readyBy.plusSeconds(60), 0, seen("a", IN_SERVICE), seen("b", IN_SERVICE));

        assertThat(atReadyBy.changes())
                .filteredOn(c -> c.kind() == ChangeKind.READY_BY)
                .extracting(c -> c.commandId() + " " + c.result())
                .containsExactly("c1 missed: 1 of 2 ready by " + readyBy);
        assertThat(later.changes())
                .filteredOn(c -> c.kind() == ChangeKind.READY_BY)
                .extracting(c -> c.commandId() + " " + c.result())
                .containsExactly("c2 met: 2 of 2 ready by " + readyBy.plusSeconds(60));
    }

    @Test
    void aVanishedInstanceFailsIsReleasedAndIsReplaced() {
        Pool p = new Pool(LIMITS);
        p.observe(NINE, 0, seen("a", IN_SERVICE));

        Reconciliation lost = p.observe(NINE.plusSeconds(5), 0);

        assertThat(transitions(lost))
                .containsExactly(
                        "a in-service->failed observed", "a failed->released release-failed");
        assertThat(calls(lost)).containsExactly("PROVISION 1 replace-failed");
        assertThat(p.instances).isEmpty();
    }

    @Test
    void aProvisionInFlightIsNotMadeAgainUntilItsTimeout() {
        Pool p = new Pool(LIMITS);
        assertThat(calls(p.observe(NINE, 0))).containsExactly("PROVISION 1 minimum");
        assertThat(calls(p.observe(NINE.plusSeconds(29), 0))).isEmpty();
        assertThat(calls(p.observe(NINE.plusSeconds(30), 0)))
                .containsExactly("PROVISION 1 minimum");
        assertThat(calls(p.observe(NINE.plusSeconds(31), 1)))
                .as("pending capacity counts")
                .isEmpty();
    }

    @Test
    void aStepBackReportedByTheManagerIsRecordedOnceAndIgnored() {
        Pool p = new Pool(LIMITS);
        p.observe(NINE, 0, seen("a", IN_SERVICE));

        Reconciliation back = p.observe(NINE.plusSeconds(5), 0, seen("a", WARMING));
        Reconciliation again = p.observe(NINE.plusSeconds(10), 0, seen("a", WARMING));

        assertThat(back.changes())
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.result())
                                        .isEqualTo(
                                                "the manager reports it warming, which cannot follow in-service: kept in-service"));
        assertThat(again.changes()).isEmpty();
        assertThat(p.instances.get("a").state()).isEqualTo(IN_SERVICE);
    }

    @Test
    void aPoolThatCannotBeReadIsRecordedOnceAndNothingIsDecided() {
        Pool p = new Pool(LIMITS);
        List<Change> changes = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            Reconciliation r = new Reconciliation(POOL, LIMITS, p.record, p.instances, p.floors);
            r.observe(PoolObservation.failed(POOL.name(), NINE.plusSeconds(s), "HTTP 503"));
            p.record = r.record();
            changes.addAll(r.changes());
            assertThat(r.calls()).isEmpty();
        }
        Reconciliation back = p.observe(NINE.plusSeconds(5), 0);

        assertThat(changes)
                .extracting(Change::result)
                .containsExactly("cannot read the pool, nothing changes until it can: HTTP 503");
        assertThat(back.changes())
                .extracting(Change::result)
                .contains("the pool can be read again");
    }

    @Test
    void floorsStartingSoonArePreparedForAhead() {
        Pool p =
                new Pool(
                        new PoolLimits(
                                0,
                                5,
                                COOLDOWN,
                                LEAD,
                                DEADLINE,
                                Duration.ofSeconds(30),
                                Duration.ofMinutes(30)));
        p.accept(
                floor("c1", 4, NINE.plus(Duration.ofMinutes(20)), NINE.plus(Duration.ofHours(1))),
                false);

        assertThat(calls(p.observe(NINE, 0))).containsExactly("PREPARE 4 headroom");
        assertThat(calls(p.observe(NINE.plusSeconds(5), 0))).as("only when it changes").isEmpty();
        assertThat(calls(p.observe(NINE.plus(Duration.ofMinutes(17)), 0)))
                .containsExactly("PROVISION 4 floor", "PREPARE 0 headroom");
    }

    @Test
    void changesOfOneInstanceHaveIdsThatDoNotDependOnWhenTheyWereSeen() {
        Pool early = new Pool(LIMITS);
        Pool late = new Pool(LIMITS);
        early.observe(NINE, 0);
        late.observe(NINE, 0);

        Reconciliation a = early.observe(NINE.plusSeconds(5), 0, seen("i-1", PROVISIONING));
        Reconciliation b = late.observe(NINE.plusSeconds(9), 0, seen("i-1", PROVISIONING));

        assertThat(a.changes())
                .extracting(Change::id)
                .isEqualTo(b.changes().stream().map(Change::id).toList());
    }

    @Test
    void instancesThePlatformsAutoscalerAddsAboveTheFloorAreNeverScaledIn() {
        Pool p = new Pool(LIMITS);
        p.observe(NINE, 0, seen("a", IN_SERVICE), seen("b", IN_SERVICE), seen("c", IN_SERVICE));

        Reconciliation r =
                p.observeAutoscaled(
                        NINE.plus(COOLDOWN),
                        0,
                        2,
                        seen("a", IN_SERVICE),
                        seen("b", IN_SERVICE),
                        seen("c", IN_SERVICE));

        assertThat(r.record().target()).isEqualTo(1);
        assertThat(calls(r)).isEmpty();
    }
}
