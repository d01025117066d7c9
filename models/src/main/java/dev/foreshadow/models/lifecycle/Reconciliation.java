package dev.foreshadow.models.lifecycle;

import dev.foreshadow.models.domain.PoolId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reconciliation of one pool, free of Flink: given what the pool has (its instances, floors in
 * force and bookkeeping), a command or an observation of the pool, it decides the audited changes
 * and the calls to make of the pool's manager. The Flink operator loads the pool's state, calls
 * {@link #accept} or {@link #observe}, stores {@link #instances()}, {@link #floors()} and {@link
 * #record()} back, and emits {@link #changes()} and {@link #calls()}.
 *
 * <p>The contract with the planner: a command is a floor, "at least N instances READY by readyBy,
 * until expiresAt"; the target is the largest floor in force (from readyBy minus the lead time to
 * expiresAt), within [min, max]. Capacity below the target is requested at once (availability
 * first: the provision call asks the manager what the pool has before requesting the rest, so a
 * replay or a restart never requests twice); an instance that fails its warm-up is released and
 * replaced; capacity above the target is given back only once the cooldown has passed since the
 * target last changed, draining instances without work first and releasing a drained instance only
 * when its work is done.
 *
 * <p>Level-triggered, in the manner of a Kubernetes controller: every decision is made from the
 * latest observation, and the pool's observations (each stamped by the manager's clock) are its
 * clock, so replays and an accelerated clock behave like production. At most one call is in flight
 * per instance, and one provision per pool; one whose effect is not seen within the call timeout is
 * made again.
 */
public final class Reconciliation {

    /** What became of a command. */
    public enum Outcome {
        /** Its floor now counts. */
        ACCEPTED,
        /** A dry run: recorded, not applied. */
        DRY_RUN,
        /** The same command again (a replay): nothing changes. */
        DUPLICATE,
        /** Another command under an id already in force: rejected. */
        CONFLICT,
        /** Expired before it arrived: recorded, not applied. */
        EXPIRED
    }

    private static final Comparator<Floor> LARGEST =
            Comparator.comparingInt(Floor::instances)
                    .thenComparing(Floor::readyBy, Comparator.reverseOrder())
                    .thenComparing(Floor::commandId, Comparator.reverseOrder());

    private final PoolId pool;
    private final PoolLimits limits;
    private final TreeMap<String, Instance> instances;
    private final TreeMap<String, Floor> floors;
    private PoolRecord record;
    private final List<Change> changes = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();

    public Reconciliation(
            PoolId pool,
            PoolLimits limits,
            PoolRecord record,
            Map<String, Instance> instances,
            Map<String, Floor> floors) {
        this.pool = pool;
        this.limits = limits;
        this.record = record == null ? PoolRecord.initial() : record;
        this.instances = new TreeMap<>(instances);
        this.floors = new TreeMap<>(floors);
    }

    /**
     * Takes a command's floor. A command is judged against the pool's clock (its latest
     * observation; {@code issuedAt} before the first), and recorded at {@code issuedAt}, so that a
     * replay records the same change again.
     */
    public Outcome accept(Floor floor, boolean dryRun, Instant issuedAt) {
        Floor known = floors.get(floor.commandId());
        if (known != null) {
            return known.fingerprint() == floor.fingerprint()
                    ? Outcome.DUPLICATE
                    : Outcome.CONFLICT;
        }
        Instant now = record.observedAt() == null ? issuedAt : record.observedAt();
        String what = describe(floor);
        if (dryRun) {
            command(floor, issuedAt, Rule.DRY_RUN, "recorded, not applied: " + what);
            return Outcome.DRY_RUN;
        }
        if (!floor.expiresAt().isAfter(now)) {
            command(floor, issuedAt, Rule.EXPIRY, "expired before it arrived: " + what);
            return Outcome.EXPIRED;
        }
        floors.put(floor.commandId(), floor);
        String clamped =
                floor.instances() > limits.max()
                        ? "; above the pool's maximum, clamped to " + limits.max()
                        : "";
        command(
                floor,
                issuedAt,
                floor.instances() > limits.max() ? Rule.MAXIMUM : Rule.FLOOR,
                what + ", requested from " + floor.inForceFrom(limits.leadTime()) + clamped);
        return Outcome.ACCEPTED;
    }

    /**
     * The pool's reconciler has (re)started at {@code at}, perhaps from a checkpoint: the commands
     * read since it was taken are read again, so the target may for a while be below what they set,
     * and the pool above it. No capacity is given back until a cooldown from {@code at} has passed,
     * so that a restart never releases instances that the commands read again would request anew
     * (cold, and as new instances).
     */
    public void restarted(Instant at) {
        record = record.coolingFrom(at);
    }

    /** Acts on an observation of the pool: the whole reconciliation step. */
    public void observe(PoolObservation observation) {
        Instant now =
                record.observedAt() != null && observation.at().isBefore(record.observedAt())
                        ? record.observedAt() // the pool's clock never runs back
                        : observation.at();
        if (observation.error() != null) {
            if (record.observeError() == null) {
                change(
                        ChangeIds.of(pool, "observe", now),
                        now,
                        ChangeKind.OBSERVE,
                        null,
                        null,
                        null,
                        null,
                        Rule.OBSERVED,
                        "cannot read the pool, nothing changes until it can: "
                                + observation.error());
            }
            record = record.failing(observation.error());
            return;
        }
        if (record.observeError() != null) {
            change(
                    ChangeIds.of(pool, "observe", now),
                    now,
                    ChangeKind.OBSERVE,
                    null,
                    null,
                    null,
                    null,
                    Rule.OBSERVED,
                    "the pool can be read again");
            record = record.failing(null);
        }
        record = record.observed(now, observation.pending(), observation.autoscaled());
        expire(now);
        retarget(now);
        merge(observation, now);
        checkReadyBy(now);
        callForInstances(now);
        provision(now);
        scaleIn(now);
        prepare(now);
    }

    /** Records that the pool left the configuration; the caller clears its state. */
    public void remove(Instant at) {
        String left =
                instances.isEmpty()
                        ? "no instances"
                        : instances.size()
                                + " instances left to the manager ("
                                + String.join(", ", instances.keySet())
                                + ")";
        change(
                ChangeIds.of(pool, "remove", at),
                at,
                ChangeKind.REMOVE,
                null,
                null,
                null,
                null,
                Rule.POOL_REMOVED,
                "removed from the configuration: state cleared, " + left);
    }

    public List<Change> changes() {
        return List.copyOf(changes);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The pool's instances after the step, by id. */
    public Map<String, Instance> instances() {
        return new TreeMap<>(instances);
    }

    /** The floors in force after the step, by command id. */
    public Map<String, Floor> floors() {
        return new TreeMap<>(floors);
    }

    public PoolRecord record() {
        return record;
    }

    /** The pool's capacity now. */
    public Capacity capacity() {
        return Capacity.of(
                record.target(),
                record.pending(),
                instances.values().stream().map(Instance::state).toList());
    }

    private void expire(Instant now) {
        List<Floor> ended =
                floors.values().stream().filter(f -> !now.isBefore(f.expiresAt())).toList();
        for (Floor f : ended) {
            floors.remove(f.commandId());
            change(
                    ChangeIds.of(pool, f.commandId(), "expire"),
                    f.expiresAt(), // a fact of the command, so a replay records the same change
                    ChangeKind.EXPIRE,
                    f.commandId(),
                    null,
                    null,
                    null,
                    Rule.EXPIRY,
                    "floor of " + f.instances() + " ended at " + f.expiresAt());
        }
    }

    private void retarget(Instant now) {
        Optional<Floor> governing =
                floors.values().stream()
                        .filter(f -> f.inForceAt(now, limits.leadTime()))
                        .max(LARGEST);
        int wanted = governing.map(Floor::instances).orElse(0);
        int target = limits.clamp(wanted);
        String command = governing.map(Floor::commandId).orElse(null);
        if (target == record.target()) {
            record = record.governedBy(command);
            return;
        }
        int was = record.target();
        Rule rule;
        String why;
        if (target < was) {
            rule = Rule.EXPIRY;
            why = "floors ended";
        } else if (wanted > limits.max()) {
            rule = Rule.MAXIMUM;
            why = "the pool's maximum (the floor asks " + wanted + ")";
        } else if (wanted < limits.min()) {
            rule = Rule.MINIMUM;
            why = "the pool's minimum";
        } else {
            rule = Rule.FLOOR;
            why = "the largest floor in force";
        }
        record = record.retargeted(target, command, now);
        change(
                ChangeIds.of(pool, "target", now, target),
                now,
                ChangeKind.TARGET,
                command,
                null,
                null,
                null,
                rule,
                "target " + target + " (was " + was + "): " + why);
    }

    private void merge(PoolObservation observation, Instant now) {
        Map<String, InstanceObservation> seen = new HashMap<>();
        observation.instances().forEach(o -> seen.put(o.id(), o));
        for (InstanceObservation o :
                seen.values().stream()
                        .sorted(Comparator.comparing(InstanceObservation::id))
                        .toList()) {
            Instance known = instances.get(o.id());
            if (known == null) {
                if (o.state() != InstanceState.RELEASED) {
                    firstSeen(o, now);
                }
            } else {
                advance(known, o, now);
            }
        }
        for (Instance gone :
                instances.values().stream().filter(i -> !seen.containsKey(i.id())).toList()) {
            if (gone.state() != InstanceState.DRAINING && gone.state() != InstanceState.FAILED) {
                gone = step(gone, InstanceState.FAILED, now, "vanished from the pool");
            }
            step(gone, InstanceState.RELEASED, now, null);
        }
        instances.values().removeIf(i -> i.state() == InstanceState.RELEASED);
    }

    private void firstSeen(InstanceObservation o, Instant now) {
        InstanceState s = o.state();
        if (s.isReady() || s == InstanceState.DRAINING) {
            // capacity that existed before this job knew the pool: taken as it is
            Instance adopted = Instance.first(o.id(), s, now, null).seen(o);
            instances.put(o.id(), adopted);
            transition(
                    adopted,
                    null,
                    s,
                    Rule.OBSERVED,
                    now,
                    "adopted: already " + s + " when first seen");
            return;
        }
        Instance requested =
                Instance.first(o.id(), InstanceState.REQUESTED, now, record.governingCommand())
                        .seen(o);
        instances.put(o.id(), requested);
        Rule rule = record.requestRule() == null ? Rule.OBSERVED : record.requestRule();
        transition(requested, null, InstanceState.REQUESTED, rule, now, "requested");
        advance(requested, o, now);
    }

    private void advance(Instance known, InstanceObservation o, Instant now) {
        Instance current = known.seen(o);
        if (o.state() == known.state()) {
            instances.put(current.id(), current);
            return;
        }
        Optional<List<InstanceState>> path = known.state().pathTo(o.state());
        if (path.isEmpty()) {
            if (known.ignored() != o.state()) {
                transition(
                        current,
                        known.state(),
                        known.state(),
                        Rule.OBSERVED,
                        now,
                        "the manager reports it "
                                + o.state()
                                + ", which cannot follow "
                                + known.state()
                                + ": kept "
                                + known.state());
                current = current.ignoring(o.state());
            }
            instances.put(current.id(), current);
            return;
        }
        for (InstanceState next : path.get()) {
            current = step(current, next, now, next == o.state() ? o.detail() : null);
        }
    }

    /** Moves {@code i} one legal step to {@code next}, audited with the rule that decided it. */
    private Instance step(Instance i, InstanceState next, Instant now, String detail) {
        InstanceState from = i.state();
        Rule rule =
                switch (next) {
                    case READY -> Rule.VALIDATION;
                    case FAILED -> from == InstanceState.WARMING ? Rule.VALIDATION : Rule.OBSERVED;
                    case IN_SERVICE -> Rule.PUT_IN_SERVICE;
                    case DRAINING -> Rule.SCALE_IN;
                    case RELEASED ->
                            from == InstanceState.FAILED ? Rule.RELEASE_FAILED : Rule.DRAINED;
                    default -> Rule.OBSERVED;
                };
        String result =
                detail != null
                        ? detail
                        : switch (next) {
                            case PROVISIONING -> "provisioning";
                            case WARMING -> "warming up";
                            case READY -> "passed its readiness probe and smoke check";
                            case IN_SERVICE -> "put in service";
                            case DRAINING -> "draining: takes no new work";
                            case RELEASED -> "released";
                            case FAILED -> "failed";
                            default -> next.wireName();
                        };
        Instance moved = i.movedTo(next, now);
        if (next == InstanceState.FAILED && from.isActive()) {
            record = record.failed();
        }
        instances.put(moved.id(), moved);
        transition(moved, from, next, rule, now, result);
        return moved;
    }

    private void transition(
            Instance i,
            InstanceState from,
            InstanceState to,
            Rule rule,
            Instant now,
            String result) {
        change(
                from == to
                        ? ChangeIds.of(pool, i.id(), "ignored", now)
                        : ChangeIds.of(pool, i.id(), to),
                now,
                ChangeKind.TRANSITION,
                i.commandId(),
                i.id(),
                from,
                to,
                rule,
                result);
    }

    private void checkReadyBy(Instant now) {
        for (Floor f : List.copyOf(floors.values())) {
            if (f.readyByChecked() || now.isBefore(f.readyBy())) {
                continue;
            }
            int need = Math.min(f.instances(), limits.max());
            long ready =
                    instances.values().stream()
                            .filter(i -> i.state().isReady() && !i.readyAt().isAfter(f.readyBy()))
                            .count();
            floors.put(f.commandId(), f.checked());
            change(
                    ChangeIds.of(pool, f.commandId(), "ready-by"),
                    f.readyBy(), // judged as of readyBy
                    ChangeKind.READY_BY,
                    f.commandId(),
                    null,
                    null,
                    null,
                    Rule.READY_BY,
                    (ready >= need ? "met: " : "missed: ")
                            + ready
                            + " of "
                            + need
                            + " ready by "
                            + f.readyBy());
        }
    }

    private void callForInstances(Instant now) {
        for (Instance i : List.copyOf(instances.values())) {
            if (inFlight(i, now)) {
                continue;
            }
            switch (i.state()) {
                case WARMING -> {
                    Instant deadline = i.since().plus(limits.validationDeadline());
                    if (!now.isBefore(deadline)) {
                        call(
                                i,
                                CallKind.FAIL,
                                Rule.VALIDATION,
                                "not validated within " + limits.validationDeadline(),
                                now,
                                null);
                    } else if (i.readiness()) {
                        call(i, CallKind.VALIDATE, Rule.VALIDATION, null, now, deadline);
                    }
                }
                case READY ->
                        call(i, CallKind.PUT_IN_SERVICE, Rule.PUT_IN_SERVICE, null, now, null);
                case FAILED -> call(i, CallKind.RELEASE, Rule.RELEASE_FAILED, null, now, null);
                case DRAINING -> {
                    if (!i.busy()) {
                        call(i, CallKind.RELEASE, Rule.DRAINED, null, now, null);
                    }
                }
                default -> {}
            }
        }
    }

    private void provision(Instant now) {
        int active = record.pending() + countActive();
        if (active >= record.target()) {
            record = record.provisioned();
            return;
        }
        boolean due =
                record.provisionAt() == null
                        || record.provisionTarget() != record.target()
                        || record.replacements() > 0
                        || !now.isBefore(record.provisionAt().plus(limits.callTimeout()));
        if (!due) {
            return;
        }
        Rule rule;
        String detail;
        if (record.replacements() > 0) {
            rule = Rule.REPLACE_FAILED;
            detail =
                    "replacing "
                            + record.replacements()
                            + " failed instance"
                            + (record.replacements() == 1 ? "" : "s");
        } else if (record.governingCommand() == null) {
            rule = Rule.MINIMUM;
            detail = "the pool's minimum";
        } else {
            rule = Rule.FLOOR;
            detail = "the floor of " + record.governingCommand();
        }
        int target = record.target();
        calls.add(
                new Call(
                        callId(),
                        CallKind.PROVISION,
                        pool.name(),
                        null,
                        target,
                        record.governingCommand(),
                        rule,
                        detail,
                        now,
                        null));
        record = record.provisioning(target, now, rule);
    }

    private void scaleIn(Instant now) {
        int surplus = record.pending() + countActive() - record.autoscaled() - record.target();
        if (surplus <= 0 || now.isBefore(record.lastChange().plus(limits.cooldown()))) {
            return;
        }
        List<Instance> victims =
                instances.values().stream()
                        .filter(i -> i.state().isActive() && !inFlight(i, now))
                        .sorted(DRAIN_ORDER)
                        .limit(surplus)
                        .toList();
        for (Instance v : victims) {
            call(
                    v,
                    CallKind.DRAIN,
                    Rule.SCALE_IN,
                    "target " + record.target() + ", cooldown of " + limits.cooldown() + " passed",
                    now,
                    null);
        }
    }

    /**
     * Which instances give way first: those not yet serving (requested, booting, warming, ready),
     * then serving ones without work, then those with work (they drain and are released only when
     * their work is done); the newest first within each.
     */
    static final Comparator<Instance> DRAIN_ORDER =
            Comparator.comparingInt(Reconciliation::drainRank)
                    .thenComparing(Instance::since, Comparator.reverseOrder())
                    .thenComparing(Instance::id, Comparator.reverseOrder());

    private static int drainRank(Instance i) {
        if (i.state() != InstanceState.IN_SERVICE) {
            return 0;
        }
        return i.busy() ? 2 : 1;
    }

    private void prepare(Instant now) {
        int upcoming =
                limits.prepareAhead().isZero()
                        ? 0
                        : floors.values().stream()
                                .filter(
                                        f -> {
                                            Instant from = f.inForceFrom(limits.leadTime());
                                            return from.isAfter(now)
                                                    && !from.isAfter(
                                                            now.plus(limits.prepareAhead()));
                                        })
                                .mapToInt(f -> limits.clamp(f.instances()))
                                .max()
                                .orElse(0);
        int headroom = Math.max(0, upcoming - record.target());
        if (headroom == record.headroom()) {
            return;
        }
        calls.add(
                new Call(
                        callId(),
                        CallKind.PREPARE,
                        pool.name(),
                        null,
                        headroom,
                        null,
                        Rule.HEADROOM,
                        "floors starting within " + limits.prepareAhead(),
                        now,
                        null));
        record = record.prepared(headroom);
    }

    private boolean inFlight(Instance i, Instant now) {
        return i.call() != null && now.isBefore(i.callAt().plus(limits.callTimeout()));
    }

    /** Active instances, less those being drained (a drain in flight already gives them up). */
    private int countActive() {
        return (int)
                instances.values().stream()
                        .filter(i -> i.state().isActive() && i.call() != CallKind.DRAIN)
                        .count();
    }

    private void call(
            Instance i, CallKind kind, Rule rule, String detail, Instant now, Instant deadline) {
        calls.add(
                new Call(
                        callId(),
                        kind,
                        pool.name(),
                        i.id(),
                        0,
                        i.commandId(),
                        rule,
                        detail,
                        now,
                        deadline));
        instances.put(i.id(), i.calling(kind, now));
    }

    private String callId() {
        String id = ChangeIds.of(pool, "call", record.callSeq());
        record = record.nextCall();
        return id;
    }

    private void command(Floor f, Instant at, Rule rule, String result) {
        change(
                ChangeIds.of(pool, f.commandId(), "command"),
                at,
                ChangeKind.COMMAND,
                f.commandId(),
                null,
                null,
                null,
                rule,
                result);
    }

    private void change(
            String id,
            Instant at,
            ChangeKind kind,
            String commandId,
            String instanceId,
            InstanceState from,
            InstanceState to,
            Rule rule,
            String result) {
        changes.add(
                new Change(
                        id,
                        at,
                        pool.name(),
                        kind,
                        commandId,
                        instanceId,
                        from,
                        to,
                        rule,
                        result,
                        capacity()));
    }

    private static String describe(Floor f) {
        return "floor of "
                + f.instances()
                + " instance"
                + (f.instances() == 1 ? "" : "s")
                + " ready by "
                + f.readyBy()
                + " until "
                + f.expiresAt()
                + " ("
                + f.reason()
                + ")";
    }
}
