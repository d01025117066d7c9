package dev.foreshadow.models.simulation;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * The discrete-event simulator of one pool of identical instances under one {@link Policy}.
 *
 * <p>Input: the runs of a {@link Workload} that start in {@code [simulateFrom, measureTo)} (runs
 * before {@code measureFrom} only warm the cluster up), the instance shape and the policy. Each
 * run's tasks follow its DAG: a task is ready when its last parent ends, waits in a first-come
 * queue (one per core count, so a small task is not held behind a large one that does not fit) and
 * starts only on a READY instance with room (best fit: the fullest instance that fits, so that
 * emptier instances drain and can be released). An instance is READY a lead time (boot and warm-up)
 * after its request; a warm-up fails with the shape's probability, and the pool then replaces it.
 * Scale-in releases instances not yet ready first, then idle ones, and drains busy ones (no new
 * tasks, released when their last task ends).
 *
 * <p>Output ({@link SimulationResult}): instance-hours and cost from request to release within the
 * measured span, the waiting of measured runs' tasks, run delays beyond the unbounded makespan,
 * cold starts (tasks that waited for an instance still booting when they became ready) and a
 * timeline. Everything is in primitive arrays and one binary heap; a run allocates only its own two
 * task arrays.
 */
final class Cluster {

    static final byte FREE = 0;
    static final byte PENDING = 1;
    static final byte READY = 2;
    static final byte DRAINING = 3;

    private static final long TASK_END = 1L << 60;
    private static final long INSTANCE_UP = 2L << 60;
    private static final long TICK = 3L << 60;
    private static final long TIMER = 4L << 60;
    private static final long SAMPLE = 5L << 60;
    private static final long KIND = 15L << 60;
    private static final long LOW = (1L << 60) - 1;
    private static final int TASK_BITS = 20;

    /** A run still active this long after the last arrival means a policy left work waiting. */
    private static final long STUCK_MS = 30L * 24 * 3600 * 1000;

    final InstanceShape shape;
    private final int coresPer;
    private final int memoryPer;
    private final long leadMs;
    private final Workload workload;
    private final Template[] templates;
    private final Policy policy;
    private final long measureFrom;
    private final long measureTo;
    private final int firstRun;
    private final int endRun;
    private final SplittableRandom random;
    private final EventQueue events = new EventQueue();
    private final long sampleMs;
    private long now;

    // instances, by id (ids are reused after release; generation tells stale events apart)
    private byte[] state = new byte[256];
    private int[] freeCores = new int[256];
    private int[] freeMemory = new int[256];
    private int[] running = new int[256];
    private int[] generation = new int[256];
    private long[] requestedAt = new long[256];
    private long[] readyAt = new long[256];
    private long[] idleSince = new long[256];
    private long[] keepUntil = new long[256];
    private int[] lastType = new int[256];
    private boolean[] willFail = new boolean[256];
    private int[] next = new int[256];
    private int[] prev = new int[256];
    private int highWater;
    private int[] freeIds = new int[256];
    private int freeIdCount;

    /** READY instances by free cores: bucket c lists those with exactly c cores free. */
    private final int[] bucketHead;

    private final IntList pending = new IntList();
    private final IntList draining = new IntList();
    private final IntList idleCandidates = new IntList();
    private int readyCount;
    private int paidCount;
    private long busyCores;
    private long readyBusyCores;

    // active runs, by slot
    private int[] slotRun = new int[64];
    private int[] slotRemaining = new int[64];
    private int[][] slotWaiting = new int[64][];
    private int[][] slotInstance = new int[64][];
    private int slotHighWater;
    private int[] freeSlots = new int[64];
    private int freeSlotCount;
    private int activeRuns;

    // tasks waiting for capacity, one queue per core count
    private final TaskQueue[] waiting;
    private long queuedCores;
    private int queuedTasks;

    // accounting
    private long instanceMs;
    private long measuredTaskMs;
    private long measuredWaitMs;
    private final long[] waitMsByType;
    private long measuredTasks;
    private long coldStarts;
    private long requested;
    private long failed;
    private long eventCount;
    private final double[] delaysMs;
    private int delayCount;
    private final int firstMeasured;

    // gauges integrated over time (value x ms), for the timeline and for policies
    private long lastGaugeTime;
    private double paidArea;
    private double readyCoreArea;
    private double busyCoreArea;
    private double queuedCoreArea;
    private double sampledPaid;
    private double sampledReady;
    private double sampledBusy;
    private double sampledQueued;
    private final float[] timelinePaid;
    private final float[] timelineReadyCores;
    private final float[] timelineBusyCores;
    private final float[] timelineQueuedCores;
    private int samples = -1;

    Cluster(
            Workload workload,
            InstanceShape shape,
            Policy policy,
            long simulateFrom,
            long measureFrom,
            long measureTo,
            long seed,
            int timelinePoints) {
        this.workload = workload;
        this.templates = workload.templates.toArray(Template[]::new);
        this.shape = shape;
        this.coresPer = shape.cores();
        this.memoryPer = shape.memoryMiB();
        this.leadMs = shape.leadMs();
        this.policy = policy;
        this.measureFrom = measureFrom;
        this.measureTo = measureTo;
        this.firstRun = workload.firstAtOrAfter(simulateFrom);
        this.endRun = workload.firstAtOrAfter(measureTo);
        this.firstMeasured = workload.firstAtOrAfter(measureFrom);
        this.random = new SplittableRandom(seed);
        this.bucketHead = new int[coresPer + 1];
        Arrays.fill(bucketHead, -1);
        this.waiting = new TaskQueue[coresPer + 1];
        for (int c = 1; c <= coresPer; c++) {
            waiting[c] = new TaskQueue();
        }
        this.delaysMs = new double[Math.max(0, endRun - firstMeasured)];
        int types = 0;
        for (int r = 0; r < workload.runs(); r++) {
            types = Math.max(types, workload.type[r] + 1);
        }
        this.waitMsByType = new long[types];
        int points = Math.max(1, timelinePoints);
        this.sampleMs = Math.max(1, (measureTo - measureFrom + points - 1) / points);
        int n = (int) ((measureTo - measureFrom + sampleMs - 1) / sampleMs);
        timelinePaid = new float[n];
        timelineReadyCores = new float[n];
        timelineBusyCores = new float[n];
        timelineQueuedCores = new float[n];
        this.now = firstRun < workload.runs() ? workload.startMs[firstRun] : measureFrom;
        this.now = Math.min(now, measureFrom);
        this.lastGaugeTime = now;
    }

    // ---------------------------------------------------------------- the loop

    SimulationResult run(LongConsumer progress) {
        long started = System.nanoTime();
        if (policy.periodMs() > 0) {
            events.push(now, TICK);
        }
        if (timelinePaid.length > 0) {
            events.push(measureFrom, SAMPLE);
        }
        policy.start(this, now);
        afterEvent();
        int r = firstRun;
        long lastArrival = endRun > 0 ? workload.startMs[endRun - 1] : now;
        while (r < endRun || activeRuns > 0) {
            long tEvent = events.isEmpty() ? Long.MAX_VALUE : events.peekTime();
            long tArrival = r < endRun ? workload.startMs[r] : Long.MAX_VALUE;
            if (tEvent <= tArrival) {
                advance(tEvent);
                handle(events.pop());
            } else {
                advance(tArrival);
                startRun(r++);
            }
            afterEvent();
            if ((++eventCount & 0xFFFF) == 0) {
                progress.accept(now);
                if (now > lastArrival + STUCK_MS) {
                    throw new IllegalStateException(
                            policy.name()
                                    + " left work waiting for 30 days after the last arrival");
                }
            }
        }
        advance(now);
        for (int id = 0; id < highWater; id++) {
            if (state[id] != FREE) {
                instanceMs += Math.max(0, now - Math.max(requestedAt[id], measureFrom));
            }
        }
        while (samples < timelinePaid.length) {
            recordSample(Math.max(now, measureFrom + (samples + 1) * sampleMs));
        }
        progress.accept(now);
        double[] delays = Arrays.copyOf(delaysMs, delayCount);
        double[] waitByType = new double[waitMsByType.length];
        for (int k = 0; k < waitByType.length; k++) {
            waitByType[k] = waitMsByType[k] / 1000.0;
        }
        Arrays.sort(delays);
        return new SimulationResult(
                policy.name(),
                instanceMs / 3.6e6,
                instanceMs / 3.6e6 * shape.pricePerHour(),
                measuredTasks,
                measuredTaskMs / 1000.0,
                measuredWaitMs / 1000.0,
                waitByType,
                quantile(delays, 0.5) / 1000,
                quantile(delays, 0.99) / 1000,
                coldStarts,
                requested,
                failed,
                eventCount,
                (System.nanoTime() - started) / 1e9,
                new SimulationResult.Timeline(
                        measureFrom,
                        sampleMs,
                        timelinePaid,
                        timelineReadyCores,
                        timelineBusyCores,
                        timelineQueuedCores),
                policy.notes());
    }

    private void handle(long event) {
        long p = event & LOW;
        switch ((int) ((event & KIND) >>> 60)) {
            case 1 -> endTask((int) (p >>> TASK_BITS), (int) (p & ((1 << TASK_BITS) - 1)));
            case 2 -> instanceUp((int) (p & 0xFFFFFF), (int) (p >>> 24));
            case 3 -> {
                policy.tick(this, now);
                events.push(now + policy.periodMs(), TICK);
            }
            case 4 -> policy.onTimer(this, p, now);
            case 5 -> {
                recordSample(now);
                if (samples < timelinePaid.length) {
                    events.push(measureFrom + (samples + 1) * sampleMs, SAMPLE);
                }
            }
            default -> throw new IllegalStateException("unknown event " + event);
        }
    }

    private void afterEvent() {
        dispatch();
        for (int i = 0; i < idleCandidates.size(); i++) {
            int id = idleCandidates.get(i);
            if (state[id] == READY && running[id] == 0 && idleSince[id] == now) {
                policy.onInstanceIdle(this, id, now);
            }
        }
        idleCandidates.clear();
        if (queuedTasks > 0) {
            policy.onTasksWaiting(this, now);
            dispatch();
        }
    }

    // ---------------------------------------------------------------- runs and tasks

    private void startRun(int r) {
        int slot = freeSlotCount > 0 ? freeSlots[--freeSlotCount] : newSlot();
        Template t = templates[workload.template[r]];
        slotRun[slot] = r;
        slotRemaining[slot] = t.size;
        slotWaiting[slot] = t.parentCount.clone();
        slotInstance[slot] = new int[t.size];
        activeRuns++;
        policy.onRunStarted(this, r, workload.type[r], now);
        for (int task : t.roots) {
            ready(slot, task, t);
        }
    }

    private int newSlot() {
        if (slotHighWater == slotRun.length) {
            int n = slotRun.length * 2;
            slotRun = Arrays.copyOf(slotRun, n);
            slotRemaining = Arrays.copyOf(slotRemaining, n);
            slotWaiting = Arrays.copyOf(slotWaiting, n);
            slotInstance = Arrays.copyOf(slotInstance, n);
            freeSlots = Arrays.copyOf(freeSlots, n);
        }
        return slotHighWater++;
    }

    private void ready(int slot, int task, Template t) {
        int c = t.cores[task];
        waiting[c].add(((long) slot << TASK_BITS) | task, now);
        queuedCores += c;
        queuedTasks++;
    }

    private void dispatch() {
        int blocked = 0; // sizes whose oldest task fits no instance's memory this round
        while (queuedTasks > 0) {
            int maxFree = coresPer;
            while (maxFree > 0 && bucketHead[maxFree] < 0) {
                maxFree--;
            }
            if (maxFree == 0) {
                return;
            }
            int best = -1;
            long bestTime = Long.MAX_VALUE;
            for (int c = 1; c <= maxFree; c++) {
                if ((blocked & (1 << c)) == 0
                        && !waiting[c].isEmpty()
                        && waiting[c].headTime() < bestTime) {
                    best = c;
                    bestTime = waiting[c].headTime();
                }
            }
            if (best < 0) {
                return;
            }
            long key = waiting[best].headKey();
            int slot = (int) (key >>> TASK_BITS);
            int task = (int) (key & ((1 << TASK_BITS) - 1));
            Template t = templates[workload.template[slotRun[slot]]];
            int id = fit(best, t.memoryMiB[task]);
            if (id < 0) {
                blocked |= 1 << best;
                continue;
            }
            waiting[best].pop();
            queuedCores -= best;
            queuedTasks--;
            startTask(slot, task, t, id, bestTime);
        }
    }

    /** Best fit: the READY instance with the fewest free cores that holds the task. */
    private int fit(int cores, int memory) {
        for (int c = cores; c <= coresPer; c++) {
            for (int id = bucketHead[c]; id >= 0; id = next[id]) {
                if (freeMemory[id] >= memory) {
                    return id;
                }
            }
        }
        return -1;
    }

    private void startTask(int slot, int task, Template t, int id, long readyTime) {
        int c = t.cores[task];
        unlink(id);
        freeCores[id] -= c;
        freeMemory[id] -= t.memoryMiB[task];
        running[id]++;
        link(id);
        busyCores += c;
        readyBusyCores += c;
        slotInstance[slot][task] = id;
        events.push(now + t.runtimeMs[task], TASK_END | ((long) slot << TASK_BITS) | task);
        int r = slotRun[slot];
        if (r >= firstMeasured) {
            long wait = now - readyTime;
            measuredTasks++;
            measuredTaskMs += t.runtimeMs[task];
            measuredWaitMs += wait;
            waitMsByType[workload.type[r]] += wait;
            if (wait > 0 && readyAt[id] > readyTime) {
                coldStarts++;
            }
        }
    }

    private void endTask(int slot, int task) {
        Template t = templates[workload.template[slotRun[slot]]];
        int id = slotInstance[slot][task];
        int c = t.cores[task];
        boolean linked = state[id] == READY;
        if (linked) {
            unlink(id);
            readyBusyCores -= c;
        }
        busyCores -= c;
        running[id]--;
        freeCores[id] += c;
        freeMemory[id] += t.memoryMiB[task];
        lastType[id] = workload.type[slotRun[slot]];
        if (linked) {
            link(id);
            if (running[id] == 0) {
                idleSince[id] = now;
                idleCandidates.add(id);
            }
        } else if (running[id] == 0) {
            release(id);
        }
        int[] left = slotWaiting[slot];
        for (int i = t.childStart[task]; i < t.childStart[task + 1]; i++) {
            int child = t.children[i];
            if (--left[child] == 0) {
                ready(slot, child, t);
            }
        }
        policy.onTaskFinished(this, slotRun[slot], now);
        if (--slotRemaining[slot] == 0) {
            finishRun(slot, t);
        }
    }

    private void finishRun(int slot, Template t) {
        int r = slotRun[slot];
        if (r >= firstMeasured) {
            delaysMs[delayCount++] = now - workload.startMs[r] - t.criticalPathMs;
        }
        slotWaiting[slot] = null;
        slotInstance[slot] = null;
        freeSlots[freeSlotCount++] = slot;
        activeRuns--;
        policy.onRunFinished(this, r, workload.type[r], now);
    }

    // ---------------------------------------------------------------- instances

    private void instanceUp(int id, int gen) {
        if (state[id] != PENDING || generation[id] != gen) {
            return; // cancelled before it was ready
        }
        pending.remove(id);
        if (willFail[id]) {
            failed++;
            int hint = lastType[id];
            long keep = keepUntil[id];
            release(id);
            int replacement = request(hint);
            keepUntil[replacement] = keep;
            return;
        }
        state[id] = READY;
        freeCores[id] = coresPer;
        freeMemory[id] = memoryPer;
        running[id] = 0;
        readyAt[id] = now;
        idleSince[id] = now;
        readyCount++;
        link(id);
        idleCandidates.add(id);
    }

    private int newInstanceId() {
        if (freeIdCount > 0) {
            return freeIds[--freeIdCount];
        }
        if (highWater == state.length) {
            int n = state.length * 2;
            if (n > (1 << 24)) {
                throw new IllegalStateException("more than 16M instances at once");
            }
            state = Arrays.copyOf(state, n);
            freeCores = Arrays.copyOf(freeCores, n);
            freeMemory = Arrays.copyOf(freeMemory, n);
            running = Arrays.copyOf(running, n);
            generation = Arrays.copyOf(generation, n);
            requestedAt = Arrays.copyOf(requestedAt, n);
            readyAt = Arrays.copyOf(readyAt, n);
            idleSince = Arrays.copyOf(idleSince, n);
            keepUntil = Arrays.copyOf(keepUntil, n);
            lastType = Arrays.copyOf(lastType, n);
            willFail = Arrays.copyOf(willFail, n);
            next = Arrays.copyOf(next, n);
            prev = Arrays.copyOf(prev, n);
            freeIds = Arrays.copyOf(freeIds, n);
        }
        return highWater++;
    }

    /** Asks for one more instance, READY a lead time from now (or failing its warm-up then). */
    int request(int typeHint) {
        int id = newInstanceId();
        state[id] = PENDING;
        generation[id] = (generation[id] + 1) & 0x7FFFFFFF;
        requestedAt[id] = now;
        readyAt[id] = Long.MAX_VALUE;
        keepUntil[id] = Long.MAX_VALUE;
        lastType[id] = typeHint;
        running[id] = 0;
        willFail[id] = random.nextDouble() < shape.warmupFailureRate();
        pending.add(id);
        paidCount++;
        requested++;
        events.push(now + leadMs, INSTANCE_UP | ((long) generation[id] << 24) | id);
        return id;
    }

    /** Gives back an instance that has no work: one not yet READY, or an idle READY one. */
    void release(int id) {
        if (running[id] > 0) {
            throw new IllegalStateException("instance " + id + " still runs tasks");
        }
        switch (state[id]) {
            case PENDING -> pending.remove(id);
            case READY -> {
                unlink(id);
                readyCount--;
            }
            case DRAINING -> draining.remove(id);
            default -> throw new IllegalStateException("instance " + id + " is not in use");
        }
        instanceMs += Math.max(0, now - Math.max(requestedAt[id], measureFrom));
        state[id] = FREE;
        paidCount--;
        freeIds[freeIdCount++] = id;
    }

    private void drain(int id) {
        unlink(id);
        readyCount--;
        readyBusyCores -= coresPer - freeCores[id];
        state[id] = DRAINING;
        draining.add(id);
    }

    private void undrain(int id) {
        draining.remove(id);
        state[id] = READY;
        readyCount++;
        readyBusyCores += coresPer - freeCores[id];
        link(id);
    }

    /**
     * Moves the pool toward {@code target} instances (READY or on their way): back from draining
     * first, then new requests; or, scaling in, cancels requests (newest first), releases idle
     * instances, then drains the least busy ones.
     */
    void scaleTo(int target) {
        int live = live();
        while (target > live && draining.size() > 0) {
            undrain(draining.get(draining.size() - 1));
            live++;
        }
        while (target > live) {
            request(-1);
            live++;
        }
        while (target < live && pending.size() > 0) {
            release(pending.get(pending.size() - 1));
            live--;
        }
        while (target < live && bucketHead[coresPer] >= 0) {
            release(bucketHead[coresPer]);
            live--;
        }
        for (int c = coresPer - 1; c >= 0 && target < live; c--) {
            while (target < live && bucketHead[c] >= 0) {
                drain(bucketHead[c]);
                live--;
            }
        }
    }

    private void link(int id) {
        int b = freeCores[id];
        prev[id] = -1;
        next[id] = bucketHead[b];
        if (bucketHead[b] >= 0) {
            prev[bucketHead[b]] = id;
        }
        bucketHead[b] = id;
    }

    private void unlink(int id) {
        int b = freeCores[id];
        if (prev[id] >= 0) {
            next[prev[id]] = next[id];
        } else {
            bucketHead[b] = next[id];
        }
        if (next[id] >= 0) {
            prev[next[id]] = prev[id];
        }
    }

    // ---------------------------------------------------------------- what policies see

    long now() {
        return now;
    }

    int coresPerInstance() {
        return coresPer;
    }

    long leadMs() {
        return leadMs;
    }

    /** Instances READY (not draining) or on their way: what a target size counts. */
    int live() {
        return readyCount + pending.size();
    }

    int readyInstances() {
        return readyCount;
    }

    int pendingInstances() {
        return pending.size();
    }

    /** Cores busy on READY instances that are not draining. */
    long readyBusyCores() {
        return readyBusyCores;
    }

    long busyCores() {
        return busyCores;
    }

    long queuedCores() {
        return queuedCores;
    }

    /** The workflow type of the oldest waiting task, or -1. */
    int oldestWaitingType() {
        int best = -1;
        long bestTime = Long.MAX_VALUE;
        for (int c = 1; c <= coresPer; c++) {
            if (!waiting[c].isEmpty() && waiting[c].headTime() < bestTime) {
                bestTime = waiting[c].headTime();
                best = c;
            }
        }
        if (best < 0) {
            return -1;
        }
        int slot = (int) (waiting[best].headKey() >>> TASK_BITS);
        return workload.type[slotRun[slot]];
    }

    boolean isIdle(int id) {
        return state[id] == READY && running[id] == 0;
    }

    int generation(int id) {
        return generation[id];
    }

    int lastType(int id) {
        return lastType[id];
    }

    long readyAt(int id) {
        return readyAt[id];
    }

    long runStartMs(int run) {
        return workload.startMs[run];
    }

    long idleSince(int id) {
        return idleSince[id];
    }

    long keepUntil(int id) {
        return keepUntil[id];
    }

    void keepUntil(int id, long t) {
        keepUntil[id] = t;
    }

    /** Calls {@link Policy#onTimer} with {@code payload} (at most 60 bits) at {@code at}. */
    void timer(long at, long payload) {
        events.push(Math.max(at, now), TIMER | (payload & LOW));
    }

    // ---------------------------------------------------------------- gauges

    private void advance(long t) {
        long dt = t - lastGaugeTime;
        if (dt > 0) {
            paidArea += (double) paidCount * dt;
            readyCoreArea += (double) readyCount * coresPer * dt;
            busyCoreArea += (double) busyCores * dt;
            queuedCoreArea += (double) queuedCores * dt;
            lastGaugeTime = t;
        }
        now = t;
    }

    /** At the first boundary (the start of the measured span) only remembers the areas. */
    private void recordSample(long t) {
        advance(Math.max(t, lastGaugeTime));
        if (samples >= 0) {
            double dt = Math.max(1, t - (measureFrom + samples * sampleMs));
            timelinePaid[samples] = (float) ((paidArea - sampledPaid) / dt);
            timelineReadyCores[samples] = (float) ((readyCoreArea - sampledReady) / dt);
            timelineBusyCores[samples] = (float) ((busyCoreArea - sampledBusy) / dt);
            timelineQueuedCores[samples] = (float) ((queuedCoreArea - sampledQueued) / dt);
        }
        sampledPaid = paidArea;
        sampledReady = readyCoreArea;
        sampledBusy = busyCoreArea;
        sampledQueued = queuedCoreArea;
        samples++;
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    // ---------------------------------------------------------------- small containers

    /** A growable list of ints with removal by value (pools hold few pending instances). */
    static final class IntList {
        private int[] values = new int[16];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }

        void clear() {
            size = 0;
        }

        void remove(int v) {
            for (int i = size - 1; i >= 0; i--) {
                if (values[i] == v) {
                    System.arraycopy(values, i + 1, values, i, size - i - 1);
                    size--;
                    return;
                }
            }
        }
    }

    /** A first-in first-out ring of (task key, ready time). */
    static final class TaskQueue {
        private long[] keys = new long[64];
        private long[] times = new long[64];
        private int head;
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        void add(long key, long time) {
            if (size == keys.length) {
                long[] k = new long[size * 2];
                long[] t = new long[size * 2];
                for (int i = 0; i < size; i++) {
                    k[i] = keys[(head + i) % keys.length];
                    t[i] = times[(head + i) % keys.length];
                }
                keys = k;
                times = t;
                head = 0;
            }
            int at = (head + size) % keys.length;
            keys[at] = key;
            times[at] = time;
            size++;
        }

        long headKey() {
            return keys[head];
        }

        long headTime() {
            return times[head];
        }

        void pop() {
            head = (head + 1) % keys.length;
            size--;
        }
    }
}
