package dev.foreshadow.jobs.allocation;

import static dev.foreshadow.models.lifecycle.InstanceState.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.AllocationStatus;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.models.lifecycle.Call;
import dev.foreshadow.models.lifecycle.Floor;
import dev.foreshadow.models.lifecycle.Instance;
import dev.foreshadow.models.lifecycle.InstanceObservation;
import dev.foreshadow.models.lifecycle.InstanceShape;
import dev.foreshadow.models.lifecycle.InstanceState;
import dev.foreshadow.models.lifecycle.PoolLimits;
import dev.foreshadow.models.lifecycle.PoolObservation;
import dev.foreshadow.models.lifecycle.PoolRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Reconciler operator in a keyed broadcast harness: its audited changes, the calls it asks for,
 * and its keyed state (instances, floors in force, the pool's bookkeeping), which is gone when a
 * pool leaves the configuration.
 */
class ReconcilerTest {

    private static final String ORDERS = "shop/orders";
    private static final String REPORTS = "shop/reports";
    private static final Instant NINE = Instant.parse("2026-11-28T09:00:00Z");
    private static final Duration LEAD = Duration.ofMinutes(3);
    private static final Duration COOLDOWN = Duration.ofMinutes(5);
    private static final InstanceShape EIGHT_CORES = new InstanceShape(8, 32L << 30, 0);
    private static final Reconciler.Spec SPEC =
            new Reconciler.Spec(
                    new PoolLimits(
                            1,
                            4,
                            COOLDOWN,
                            LEAD,
                            Duration.ofMinutes(2),
                            Duration.ofSeconds(30),
                            Duration.ZERO),
                    EIGHT_CORES);

    private KeyedBroadcastOperatorTestHarness<String, ReconcilerInput, Tick, Call> harness;

    private KeyedBroadcastOperatorTestHarness<String, ReconcilerInput, Tick, Call> open(
            Map<String, Reconciler.Spec> specs, OperatorSubtaskState restored) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, ReconcilerInput, Tick, Call> h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new Reconciler(specs),
                        ReconcilerInput::pool,
                        Types.STRING,
                        Reconciler.ROSTER);
        if (restored != null) {
            h.close();
            h =
                    new KeyedBroadcastOperatorTestHarness<>(
                            new org.apache.flink.streaming.api.operators.co
                                    .CoBroadcastWithKeyedOperator<>(
                                    new Reconciler(specs), List.of(Reconciler.ROSTER)),
                            ReconcilerInput::pool,
                            Types.STRING,
                            1, // the max parallelism of forKeyedBroadcastProcessFunction's harness
                            1,
                            0);
            h.setup();
            h.initializeState(restored);
            h.open();
        }
        return h;
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static AllocationCommand command(
            String id,
            String pool,
            double cores,
            Instant readyBy,
            Duration lasting,
            boolean dryRun) {
        return new AllocationCommand(
                id,
                pool,
                cores,
                0,
                0,
                0,
                readyBy,
                readyBy.plus(lasting),
                List.of(),
                0.9,
                "forecast",
                readyBy.minus(Duration.ofHours(1)),
                dryRun);
    }

    private void send(AllocationCommand c) throws Exception {
        harness.processElement(new StreamRecord<>(ReconcilerInput.of(c)));
    }

    private void observe(String pool, Instant at, InstanceObservation... instances)
            throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        ReconcilerInput.of(
                                PoolObservation.of(pool, at, 0, 0, List.of(instances)))));
    }

    private static InstanceObservation seen(String id, InstanceState s) {
        return new InstanceObservation(id, s, s.compareTo(WARMING) >= 0, false, null);
    }

    private List<String> changesSince(int from) {
        List<AllocationStatus> all = status();
        return all.subList(from, all.size()).stream().map(ReconcilerTest::describe).toList();
    }

    private static String describe(AllocationStatus s) {
        return s.action().equals("transition")
                ? s.instanceId() + " " + s.from() + "->" + s.to() + " " + s.rule()
                : s.action() + " " + s.rule() + (s.commandId() == null ? "" : " " + s.commandId());
    }

    private List<AllocationStatus> status() {
        return harness.getSideOutput(Reconciler.STATUS) == null
                ? List.of()
                : harness.getSideOutput(Reconciler.STATUS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
    }

    private List<String> calls() {
        List<String> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Call c) {
                out.add(
                        c.kind()
                                + (c.instanceId() == null ? " " + c.count() : " " + c.instanceId())
                                + " "
                                + c.rule());
            }
        }
        harness.getOutput().clear();
        return out;
    }

    /** The keyed state of a snapshot, as bytes. */
    private static byte[] bytes(OperatorSubtaskState s) {
        var handle =
                (org.apache.flink.runtime.state.KeyGroupsStateHandle)
                        s.getManagedKeyedState().iterator().next();
        return ((org.apache.flink.runtime.state.memory.ByteStreamStateHandle)
                        handle.getDelegateStateHandle())
                .getData();
    }

    /** The keys holding an entry of the state named {@code state}. */
    private List<String> keysWith(String state) {
        return harness.getOperator()
                .<String>getKeyedStateBackend()
                .getKeys(state, VoidNamespace.INSTANCE)
                .sorted()
                .collect(Collectors.toList());
    }

    @Test
    void anInstanceTakesEveryStepOfItsLifecycleAndEachIsAudited() throws Exception {
        harness = open(Map.of(ORDERS, SPEC), null);
        Instant readyBy = NINE.plus(LEAD);
        send(command("c1", ORDERS, 12, readyBy, Duration.ofMinutes(10), false));
        observe(ORDERS, NINE);
        assertThat(calls()).containsExactly("PROVISION 2 floor");
        int before = status().size();

        observe(ORDERS, NINE.plusSeconds(10), seen("i-1", PROVISIONING), seen("i-2", PROVISIONING));
        observe(ORDERS, NINE.plusSeconds(60), seen("i-1", WARMING), seen("i-2", WARMING));
        assertThat(calls()).containsExactly("VALIDATE i-1 validation", "VALIDATE i-2 validation");
        observe(ORDERS, NINE.plusSeconds(90), seen("i-1", READY), seen("i-2", READY));
        assertThat(calls())
                .containsExactly(
                        "PUT_IN_SERVICE i-1 put-in-service", "PUT_IN_SERVICE i-2 put-in-service");
        observe(ORDERS, NINE.plusSeconds(95), seen("i-1", IN_SERVICE), seen("i-2", IN_SERVICE));
        observe(ORDERS, readyBy, seen("i-1", IN_SERVICE), seen("i-2", IN_SERVICE));
        Instant expiry = readyBy.plus(Duration.ofMinutes(10));
        observe(ORDERS, expiry, seen("i-1", IN_SERVICE), seen("i-2", IN_SERVICE));
        assertThat(calls()).as("within the cooldown").isEmpty();
        Instant after = expiry.plus(COOLDOWN);
        observe(ORDERS, after, seen("i-1", IN_SERVICE), seen("i-2", IN_SERVICE));
        assertThat(calls()).containsExactly("DRAIN i-2 scale-in");
        observe(ORDERS, after.plusSeconds(5), seen("i-1", IN_SERVICE), seen("i-2", DRAINING));
        assertThat(calls()).containsExactly("RELEASE i-2 drained");
        observe(ORDERS, after.plusSeconds(10), seen("i-1", IN_SERVICE));

        assertThat(changesSince(before))
                .containsExactly(
                        "i-1 null->requested floor",
                        "i-1 requested->provisioning observed",
                        "i-2 null->requested floor",
                        "i-2 requested->provisioning observed",
                        "i-1 provisioning->warming observed",
                        "i-2 provisioning->warming observed",
                        "i-1 warming->ready validation",
                        "i-2 warming->ready validation",
                        "i-1 ready->in-service put-in-service",
                        "i-2 ready->in-service put-in-service",
                        "ready-by ready-by c1",
                        "expire expiry c1",
                        "target expiry",
                        "i-2 in-service->draining scale-in",
                        "i-2 draining->released drained");
        assertThat(status().get(status().size() - 1).capacity().inService()).isEqualTo(1);
        assertThat(keysWith(Reconciler.FLOORS.getName())).as("the expired floor is gone").isEmpty();
    }

    @Test
    void aWarmUpThatFailsItsValidationIsReleasedAndReplacedNeverServing() throws Exception {
        harness = open(Map.of(ORDERS, SPEC), null);
        observe(ORDERS, NINE);
        observe(ORDERS, NINE.plusSeconds(60), seen("i-1", WARMING));
        calls();
        int before = status().size();

        observe(
                ORDERS,
                NINE.plusSeconds(65),
                new InstanceObservation("i-1", FAILED, true, false, "smoke check: HTTP 503"));

        assertThat(calls())
                .containsExactly("RELEASE i-1 release-failed", "PROVISION 1 replace-failed");
        assertThat(status().subList(before, status().size()))
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(describe(s)).isEqualTo("i-1 warming->failed validation");
                            assertThat(s.result()).isEqualTo("smoke check: HTTP 503");
                        });
        observe(ORDERS, NINE.plusSeconds(70), seen("i-2", PROVISIONING));
        assertThat(changesSince(before + 1))
                .containsExactly(
                        "i-2 null->requested replace-failed",
                        "i-2 requested->provisioning observed",
                        "i-1 failed->released release-failed");
    }

    @Test
    void aReplayedCommandChangesNothingAndAnotherUnderItsIdIsDeadLettered() throws Exception {
        harness = open(Map.of(ORDERS, SPEC), null);
        AllocationCommand c =
                command("c1", ORDERS, 20, NINE.plus(LEAD), Duration.ofMinutes(10), false);
        send(c);
        observe(ORDERS, NINE);
        int before = status().size();
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);

        send(c);

        assertThat(status()).hasSize(before);
        assertThat(calls()).containsExactly("PROVISION 3 floor");
        OperatorSubtaskState again = harness.snapshot(2, 2);
        assertThat(bytes(again)).as("the same state").isEqualTo(bytes(snapshot));

        send(command("c1", ORDERS, 32, NINE.plus(LEAD), Duration.ofMinutes(10), false));
        assertThat(harness.getSideOutput(Reconciler.DEAD_LETTERS))
                .extracting(r -> ((DeadLetter) r.getValue()).reason())
                .containsExactly(
                        "commandId: c1 is in force with other content; a command id names one command");
        assertThat(calls()).isEmpty();
    }

    @Test
    void aDryRunIsRecordedButNeverApplied() throws Exception {
        harness = open(Map.of(ORDERS, SPEC), null);
        send(command("d1", ORDERS, 24, NINE.plus(LEAD), Duration.ofMinutes(10), true));
        observe(ORDERS, NINE.plus(LEAD));

        assertThat(changesSince(0)).startsWith("command dry-run d1");
        assertThat(calls()).as("only the pool's minimum").containsExactly("PROVISION 1 minimum");
        assertThat(keysWith(Reconciler.FLOORS.getName())).isEmpty();
    }

    @Test
    void expiredFloorsReleaseAfterTheCooldownDownToTheMinimumKeepingTheBusyInstance()
            throws Exception {
        harness = open(Map.of(ORDERS, SPEC), null);
        Instant end = NINE.plus(LEAD).plus(Duration.ofMinutes(10));
        send(command("c1", ORDERS, 24, NINE.plus(LEAD), Duration.ofMinutes(10), false));
        InstanceObservation a = seen("a", IN_SERVICE);
        InstanceObservation busy = new InstanceObservation("b", IN_SERVICE, true, true, null);
        InstanceObservation c = seen("c", IN_SERVICE);
        observe(ORDERS, NINE, a, busy, c);
        calls();

        observe(ORDERS, end, a, busy, c);
        assertThat(calls()).as("within the cooldown").isEmpty();
        observe(ORDERS, end.plus(COOLDOWN), a, busy, c);

        assertThat(calls()).containsExactly("DRAIN c scale-in", "DRAIN a scale-in");
    }

    @Test
    void aPoolRemovedFromTheConfigurationLeavesNoState() throws Exception {
        harness = open(Map.of(ORDERS, SPEC, REPORTS, SPEC), null);
        harness.processBroadcastElement(new Tick(ORDERS, 0), 0);
        send(command("c1", ORDERS, 8, NINE.plus(LEAD), Duration.ofMinutes(10), false));
        send(command("r1", REPORTS, 8, NINE.plus(LEAD), Duration.ofMinutes(10), false));
        observe(ORDERS, NINE, seen("o-1", IN_SERVICE));
        observe(REPORTS, NINE, seen("r-1", IN_SERVICE));
        assertThat(keysWith(Reconciler.POOL.getName())).containsExactly(ORDERS, REPORTS);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = open(Map.of(ORDERS, SPEC), snapshot);
        harness.processBroadcastElement(new Tick(ORDERS, 1), 1);

        assertThat(keysWith(Reconciler.POOL.getName())).containsExactly(ORDERS);
        assertThat(keysWith(Reconciler.INSTANCES.getName())).containsExactly(ORDERS);
        assertThat(keysWith(Reconciler.FLOORS.getName())).containsExactly(ORDERS);
        assertThat(status())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.pool()).isEqualTo(REPORTS);
                            assertThat(s.action()).isEqualTo("remove");
                            assertThat(s.result())
                                    .isEqualTo(
                                            "removed from the configuration: state cleared, 1 instances left to the manager (r-1)");
                            assertThat(s.time()).isEqualTo(NINE);
                        });
        harness.processBroadcastElement(new Tick(ORDERS, 2), 2);
        assertThat(status()).as("checked once per configuration").hasSize(1);
    }

    @Test
    void stateIsSerializedByFlinksPojoSerializerNeverByKryo() {
        for (Class<?> type : List.of(Instance.class, Floor.class, PoolRecord.class)) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
            for (int f = 0; f < pojo.getArity(); f++) {
                assertThat(pojo.getTypeAt(f))
                        .as(
                                type.getSimpleName()
                                        + "."
                                        + pojo.getPojoFieldAt(f).getField().getName())
                        .isNotInstanceOf(GenericTypeInfo.class);
            }
            assertThat(info.createSerializer(new SerializerConfigImpl()).getClass().getSimpleName())
                    .isEqualTo("PojoSerializer");
        }
    }
}
