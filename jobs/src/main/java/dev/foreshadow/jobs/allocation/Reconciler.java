package dev.foreshadow.jobs.allocation;

import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.AllocationStatus;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.jobs.common.JobMetrics;
import dev.foreshadow.models.domain.AllocationReason;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.lifecycle.Call;
import dev.foreshadow.models.lifecycle.Capacity;
import dev.foreshadow.models.lifecycle.Change;
import dev.foreshadow.models.lifecycle.Floor;
import dev.foreshadow.models.lifecycle.Instance;
import dev.foreshadow.models.lifecycle.InstanceShape;
import dev.foreshadow.models.lifecycle.InstanceState;
import dev.foreshadow.models.lifecycle.PoolLimits;
import dev.foreshadow.models.lifecycle.PoolRecord;
import dev.foreshadow.models.lifecycle.Reconciliation;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The reconciler of each pool, keyed by pool: a thin Flink shell around {@link Reconciliation}.
 * Input: the pool's commands and its observations (the heartbeat that is its clock); broadcast, the
 * pools' heartbeats, on the first of which after a (re)start the state of every pool no longer
 * configured is cleared. Output: the calls to make of the pool's manager; on {@link #STATUS} every
 * audited change; on {@link #DEAD_LETTERS} a command that reuses the id of another.
 *
 * <p>No timers: expiry, cooldown and deadlines are judged on each observation, which comes every
 * poll interval, on the manager's clock (DISCUSSION.md). State types are Flink POJOs (records),
 * never Kryo.
 */
final class Reconciler extends KeyedBroadcastProcessFunction<String, ReconcilerInput, Tick, Call> {

    private static final long serialVersionUID = 1L;

    static final OutputTag<AllocationStatus> STATUS = new OutputTag<>("allocation-status") {};
    static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("conflicting-commands") {};

    static final MapStateDescriptor<String, Instance> INSTANCES =
            new MapStateDescriptor<>("instances", Types.STRING, TypeInformation.of(Instance.class));
    static final MapStateDescriptor<String, Floor> FLOORS =
            new MapStateDescriptor<>("floors", Types.STRING, TypeInformation.of(Floor.class));
    static final ValueStateDescriptor<PoolRecord> POOL =
            new ValueStateDescriptor<>("pool", TypeInformation.of(PoolRecord.class));

    /** Broadcast: the configured pools the removed-pool check last ran for. */
    static final MapStateDescriptor<String, Boolean> ROSTER =
            new MapStateDescriptor<>("roster", Types.STRING, Types.BOOLEAN);

    /** What the reconciler needs of a pool's configuration. */
    record Spec(PoolLimits limits, InstanceShape shape) implements Serializable {}

    private final Map<String, Spec> specs;

    /** The pool's instances by id, as last observed, with the call in flight for each. */
    private transient MapState<String, Instance> instances;

    /** The commands in force (their floors) by command id; each removed when it expires. */
    private transient MapState<String, Floor> floors;

    /** The pool's clock, target, last change and provision in flight. */
    private transient ValueState<PoolRecord> pool;

    /** The pools observed since this subtask (re)started. */
    private transient Set<String> observedSinceStart;

    private transient Counter duplicates;
    private transient Counter conflicts;

    /**
     * Each pool's capacity as last reconciled on this subtask, read by the {@code instances}
     * gauges; filled again by the first observation after a restart (every poll interval).
     */
    private transient Map<String, Capacity> capacities;

    Reconciler(Map<String, Spec> specs) {
        this.specs = Map.copyOf(specs);
    }

    static Map<String, Spec> specs(Map<String, AllocationSettings.Pool> pools) {
        Map<String, Spec> out = new HashMap<>();
        pools.forEach((name, p) -> out.put(name, new Spec(p.limits(), p.shape())));
        return out;
    }

    @Override
    public void open(OpenContext context) {
        instances = getRuntimeContext().getMapState(INSTANCES);
        floors = getRuntimeContext().getMapState(FLOORS);
        pool = getRuntimeContext().getState(POOL);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateCommands");
        conflicts = getRuntimeContext().getMetricGroup().counter("conflictingCommands");
        capacities = new java.util.concurrent.ConcurrentHashMap<>();
        observedSinceStart = new HashSet<>();
        // the pools are known from the configuration: one gauge per (pool, state), 0 until seen
        for (String p : specs.keySet()) {
            MetricGroup g = getRuntimeContext().getMetricGroup().addGroup(JobMetrics.POOL, p);
            STATES.forEach(
                    (state, count) ->
                            g.addGroup(JobMetrics.STATE, state)
                                    .gauge(
                                            JobMetrics.INSTANCES,
                                            (Gauge<Integer>)
                                                    () -> {
                                                        Capacity c = capacities.get(p);
                                                        return c == null ? 0 : count.applyAsInt(c);
                                                    }));
        }
    }

    @Override
    public void processElement(ReconcilerInput input, ReadOnlyContext ctx, Collector<Call> out)
            throws Exception {
        String key = ctx.getCurrentKey();
        Spec spec = specs.get(key);
        if (spec == null) {
            return; // checked before keyBy: only a configuration change in flight gets here
        }
        Map<String, Instance> instancesBefore = load(instances);
        Map<String, Floor> floorsBefore = load(floors);
        Reconciliation r =
                new Reconciliation(
                        new PoolId(key),
                        spec.limits(),
                        pool.value(),
                        instancesBefore,
                        floorsBefore);
        if (input.command() != null) {
            AllocationCommand c = input.command();
            Reconciliation.Outcome outcome =
                    r.accept(floor(c, spec.shape()), c.dryRun(), c.issuedAt());
            if (outcome == Reconciliation.Outcome.DUPLICATE) {
                duplicates.inc();
            } else if (outcome == Reconciliation.Outcome.CONFLICT) {
                conflicts.inc();
                ctx.output(
                        DEAD_LETTERS,
                        DeadLetter.of(
                                Uids.RECONCILER,
                                "commandId: "
                                        + c.commandId()
                                        + " is in force with other content; a command id names one command",
                                Instant.ofEpochMilli(ctx.currentProcessingTime()),
                                Json.bytes(c)));
            }
        } else {
            if (observedSinceStart.add(key)) {
                // restored from a checkpoint, the pool may have what replayed commands ask for
                r.restarted(input.observation().at());
            }
            r.observe(input.observation());
        }
        store(instances, instancesBefore, r.instances());
        store(floors, floorsBefore, r.floors());
        pool.update(r.record());
        capacities.put(key, r.capacity());
        r.changes().forEach(change -> ctx.output(STATUS, AllocationStatus.of(change)));
        r.calls().forEach(out::collect);
    }

    /**
     * On the first heartbeat with a configuration other than the last one checked (a first start, a
     * pool removed or added), clears the state of each pool no longer configured (its instances are
     * left to its manager) and records it.
     */
    @Override
    public void processBroadcastElement(Tick tick, Context ctx, Collector<Call> out)
            throws Exception {
        BroadcastState<String, Boolean> roster = ctx.getBroadcastState(ROSTER);
        Set<String> checked = new HashSet<>();
        for (Map.Entry<String, Boolean> e : roster.entries()) {
            checked.add(e.getKey());
        }
        if (checked.equals(specs.keySet())) {
            return;
        }
        roster.clear();
        for (String p : specs.keySet()) {
            roster.put(p, true);
        }
        ctx.applyToKeyedState(
                POOL,
                (key, state) -> {
                    if (specs.containsKey(key)) {
                        return;
                    }
                    PoolRecord record = state.value();
                    Instant at =
                            record != null && record.observedAt() != null
                                    ? record.observedAt()
                                    : Instant.ofEpochMilli(ctx.currentProcessingTime());
                    Reconciliation r =
                            new Reconciliation(
                                    new PoolId(key),
                                    REMOVED_LIMITS,
                                    record,
                                    load(instances),
                                    load(floors));
                    r.remove(at);
                    for (Change c : r.changes()) {
                        ctx.output(STATUS, AllocationStatus.of(c));
                    }
                    // safe: the pool left the configuration; nothing of it is decided any more
                    instances.clear();
                    floors.clear();
                    state.clear();
                });
    }

    /**
     * The states the {@code instances} gauges report, and the target, each read from a capacity.
     */
    private static final Map<String, java.util.function.ToIntFunction<Capacity>> STATES = states();

    private static Map<String, java.util.function.ToIntFunction<Capacity>> states() {
        Map<String, java.util.function.ToIntFunction<Capacity>> s = new java.util.LinkedHashMap<>();
        s.put("target", Capacity::target);
        s.put(InstanceState.REQUESTED.wireName(), Capacity::requested);
        s.put(InstanceState.PROVISIONING.wireName(), Capacity::provisioning);
        s.put(InstanceState.WARMING.wireName(), Capacity::warming);
        s.put(InstanceState.READY.wireName(), Capacity::ready);
        s.put(InstanceState.IN_SERVICE.wireName(), Capacity::inService);
        s.put(InstanceState.DRAINING.wireName(), Capacity::draining);
        s.put(InstanceState.FAILED.wireName(), Capacity::failed);
        return s;
    }

    /** Limits for recording a removed pool's last change; never used to decide. */
    private static final PoolLimits REMOVED_LIMITS =
            new PoolLimits(
                    0,
                    1,
                    java.time.Duration.ZERO,
                    java.time.Duration.ZERO,
                    java.time.Duration.ofSeconds(1),
                    java.time.Duration.ofSeconds(1),
                    java.time.Duration.ZERO);

    /** A command's floor: its capacity in the pool's instances. */
    static Floor floor(AllocationCommand c, InstanceShape shape) {
        return new Floor(
                c.commandId(),
                shape.instancesFor(
                        c.cores(), c.memoryBytes(), c.networkBytesPerSecond(), c.instances()),
                c.readyBy(),
                c.expiresAt(),
                AllocationReason.ofWireName(c.reason()),
                UUID.nameUUIDFromBytes(Json.bytes(c)).getMostSignificantBits(),
                false);
    }

    private static <V> Map<String, V> load(MapState<String, V> state) throws Exception {
        Map<String, V> out = new HashMap<>();
        for (Map.Entry<String, V> e : state.entries()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** Writes only what changed. */
    private static <V> void store(
            MapState<String, V> state, Map<String, V> before, Map<String, V> after)
            throws Exception {
        for (String id : before.keySet()) {
            if (!after.containsKey(id)) {
                state.remove(id);
            }
        }
        for (Map.Entry<String, V> e : after.entrySet()) {
            if (!Objects.equals(before.get(e.getKey()), e.getValue())) {
                state.put(e.getKey(), e.getValue());
            }
        }
    }
}
