package dev.foreshadow.connectors.resources.simulated;

import dev.foreshadow.connectors.resources.Check;
import dev.foreshadow.models.lifecycle.InstanceObservation;
import dev.foreshadow.models.lifecycle.InstanceState;
import dev.foreshadow.models.lifecycle.PoolObservation;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A simulated VM pool on an injected clock: instances requested now are PROVISIONING for the boot
 * time, then WARMING until their warm-up ends, when their readiness probe passes; a validation then
 * makes them READY (or FAILED: the instances whose seeded draw falls under the failure rate fail
 * their smoke check); READY ones go in service, drain, and are released. Work can be given to an
 * instance in service ({@link #occupy}); it is busy until the work ends. Cost runs from each
 * instance's request to its release. Deterministic: the same seed fails the same instances, and
 * time is only what the clock says. Thread-safe.
 *
 * <p>Input: the manager's calls. Output: observations, and the figures of a run ({@link
 * #instanceHours}, {@link #cost}, {@link #warmedUp}, {@link #failedWarmUps}).
 */
public final class SimulatedPool {

    private final String name;
    private final SimulatedSettings settings;
    private final InstantSource clock;
    private final Map<String, Vm> vms = new LinkedHashMap<>();
    private int requested;
    private int warmedUp;
    private int failedWarmUps;

    /** One simulated VM. */
    private static final class Vm {
        final String id;
        final Instant requestedAt;
        final boolean doomed;
        Boolean validated;
        String detail;
        boolean serving;
        boolean draining;
        Instant busyUntil;
        Instant releasedAt;

        Vm(String id, Instant requestedAt, boolean doomed) {
            this.id = id;
            this.requestedAt = requestedAt;
            this.doomed = doomed;
        }
    }

    SimulatedPool(String name, SimulatedSettings settings, InstantSource clock) {
        this.name = name;
        this.settings = settings;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    public InstantSource clock() {
        return clock;
    }

    public SimulatedSettings settings() {
        return settings;
    }

    /** Requests {@code n} instances; returns their ids ({@code name-1}, {@code name-2}, ...). */
    public synchronized List<String> request(int n) {
        Instant now = clock.instant();
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            requested++;
            String id = name + "-" + requested;
            vms.put(id, new Vm(id, now, doomed(requested)));
            ids.add(id);
        }
        return ids;
    }

    /** What the pool has now; released instances are gone. */
    public synchronized PoolObservation observe() {
        Instant now = clock.instant();
        List<InstanceObservation> seen = new ArrayList<>();
        for (Vm vm : vms.values()) {
            if (vm.releasedAt == null) {
                seen.add(
                        new InstanceObservation(
                                vm.id, state(vm, now), warm(vm, now), busy(vm, now), vm.detail));
            }
        }
        return PoolObservation.of(name, now, 0, 0, seen);
    }

    /** The readiness probe: passes once the instance has booted and warmed up. */
    public synchronized Check readiness(String id) {
        Vm vm = vm(id);
        Instant now = clock.instant();
        if (vm.releasedAt != null) {
            return Check.failed(id + " was released");
        }
        return warm(vm, now)
                ? Check.passed(id + " warmed up")
                : Check.failed(id + " is still " + state(vm, now));
    }

    /** The simulated part of the smoke check: fails on the instances the seed dooms. */
    public synchronized Check simulatedSmokeCheck(String id) {
        return vm(id).doomed
                ? Check.failed(
                        "simulated warm-up failure (failure rate "
                                + settings.failureRate()
                                + ", seed "
                                + settings.seed()
                                + ")")
                : Check.passed("simulated smoke check passed");
    }

    public synchronized void recordValidation(String id, Check outcome) {
        Vm vm = vm(id);
        if (vm.validated != null) {
            return; // validated once; a repeated call changes nothing
        }
        vm.validated = outcome.passed();
        vm.detail = outcome.detail();
        if (outcome.passed()) {
            warmedUp++;
        } else {
            failedWarmUps++;
        }
    }

    public synchronized void putInService(String id) {
        Vm vm = vm(id);
        if (!Boolean.TRUE.equals(vm.validated)) {
            throw new IllegalStateException(id + " is not validated: it cannot serve");
        }
        vm.serving = true;
    }

    public synchronized void drain(String id) {
        vm(id).draining = true;
    }

    public synchronized void release(String id) {
        Vm vm = vm(id);
        if (vm.releasedAt == null) {
            vm.releasedAt = clock.instant();
        }
    }

    /** Gives an instance in service work for {@code duration} (the demo's and tests' workload). */
    public synchronized void occupy(String id, Duration duration) {
        Vm vm = vm(id);
        if (!vm.serving || vm.draining || vm.releasedAt != null) {
            throw new IllegalStateException(id + " is not in service: it takes no work");
        }
        Instant until = clock.instant().plus(duration);
        vm.busyUntil = vm.busyUntil == null || until.isAfter(vm.busyUntil) ? until : vm.busyUntil;
    }

    /** Instance-hours so far: each instance from its request to its release (or now). */
    public synchronized double instanceHours() {
        Instant now = clock.instant();
        double seconds = 0;
        for (Vm vm : vms.values()) {
            Instant end = vm.releasedAt == null ? now : vm.releasedAt;
            seconds += Duration.between(vm.requestedAt, end).toMillis() / 1000.0;
        }
        return seconds / 3600;
    }

    /** What the instances cost so far, at the price per instance-hour. */
    public synchronized double cost() {
        return instanceHours() * settings.pricePerHour();
    }

    /** Instances that passed their validation. */
    public synchronized int warmedUp() {
        return warmedUp;
    }

    /** Instances that failed their validation. */
    public synchronized int failedWarmUps() {
        return failedWarmUps;
    }

    private InstanceState state(Vm vm, Instant now) {
        if (Boolean.FALSE.equals(vm.validated)) {
            return InstanceState.FAILED;
        }
        if (vm.draining) {
            return InstanceState.DRAINING;
        }
        if (vm.serving) {
            return InstanceState.IN_SERVICE;
        }
        if (Boolean.TRUE.equals(vm.validated)) {
            return InstanceState.READY;
        }
        return now.isBefore(vm.requestedAt.plus(settings.bootTime()))
                ? InstanceState.PROVISIONING
                : InstanceState.WARMING;
    }

    private boolean warm(Vm vm, Instant now) {
        return !now.isBefore(vm.requestedAt.plus(settings.bootTime()).plus(settings.warmUpTime()));
    }

    private static boolean busy(Vm vm, Instant now) {
        return vm.busyUntil != null && now.isBefore(vm.busyUntil);
    }

    private Vm vm(String id) {
        Vm vm = vms.get(id);
        if (vm == null) {
            throw new IllegalArgumentException("pool " + name + " has no instance " + id);
        }
        return vm;
    }

    /** Whether the {@code n}th instance fails its warm-up: a draw of its own, fixed by the seed. */
    private boolean doomed(int n) {
        return new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + n).nextDouble()
                < settings.failureRate();
    }
}
