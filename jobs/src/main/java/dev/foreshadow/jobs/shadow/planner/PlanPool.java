package dev.foreshadow.jobs.shadow.planner;

import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.jobs.common.SilentKeys;
import dev.foreshadow.jobs.shadow.shadowing.RunProgress;
import dev.foreshadow.models.demand.DemandForecaster;
import dev.foreshadow.models.demand.PoolDemand;
import dev.foreshadow.models.demand.ResourceProfile;
import dev.foreshadow.models.demand.TypeOutlook;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.domain.WorkloadKey;
import dev.foreshadow.models.planning.Decision;
import dev.foreshadow.models.planning.Planner;
import dev.foreshadow.models.planning.PlannerSettings;
import dev.foreshadow.models.planning.PoolObservation;
import dev.foreshadow.models.planning.PoolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code allocateResources}' decision half, per pool, by the code {@code eval allocation} simulates
 * ({@code ForeshadowPolicy}): at each forecast origin it turns the latest forecasts of the pool's
 * workflow types into the pool's demand one lead time ahead ({@link DemandForecaster}: each type's
 * arrivals carrying its {@link ResourceProfile}, learned online from its finished runs, plus what
 * the runs already in flight still use, each placed in the profile by its age and the actions it
 * has ended, given that it is still running) and lets the {@link Planner} decide (quantile of the
 * demand, adapted by the realised work; the reactive floor; minimum, maximum and budget). An
 * anomaly scale-up passes through the same bounds: clamped to the pool's maximum and budget, and a
 * dry run in forecast-only mode.
 *
 * <p>In: {@link PoolInput}s keyed by {@link PoolInput#key}. Out: {@link AllocationCommand}s on
 * {@link #ALLOCATION_COMMANDS} (nothing on the main output), each explaining itself (rule and
 * basis). The realised work a plan is judged by is the CPU seconds of the runs that finished since
 * the last plan, per second of the bucket. The runs in flight are counted per type, start minute
 * and actions ended from the run starts, the Shadow's progress reports and the run summaries
 * ({@link RunsInFlight}), never one entry per run. The planner's adapted quantile and its plans not
 * yet scored are kept in state, so a restore carries on where it was. A configured pool lacking a
 * certification its types' actions need is still planned, every command saying so ({@link
 * #certified}). A forecast revised by an external event after its origin re-plans the pool at once
 * ({@link #revise}). A pool silent for {@code forgetAfter} leaves no state.
 */
public final class PlanPool extends KeyedProcessFunction<String, PoolInput, AllocationCommand> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<AllocationCommand> ALLOCATION_COMMANDS =
            new OutputTag<>("allocation-commands") {};

    static final String OUTLOOKS_STATE = "latest-forecasts";
    static final String SHAPES_STATE = "run-shapes";
    static final String COMMANDED_STATE = "instances-commanded";
    static final String WORK_STATE = "cpu-seconds-since-plan";
    static final String PLAN_STATE = "plan-at";
    static final String IN_FLIGHT_STATE = "runs-in-flight";
    static final String MEMORY_STATE = "planner-memory";
    static final String NEEDS_STATE = "certifications-needed";
    static final String PLANNED_STATE = "planned-at";
    static final String REVISIONS_STATE = "revisions-of-plan";

    /** Commands of a configured pool that lacks a certification its types' actions need. */
    static final String UNCERTIFIED_METRIC = "uncertifiedCommands";

    private static final Logger LOG = LoggerFactory.getLogger(PlanPool.class);

    private final PlanningSettings settings;
    private final long stepMs;
    private final SilentKeys silentKeys;
    private final long forgetAfterMs;

    /** Per workflow type of the pool, its latest forecast. */
    private transient MapState<String, TypeForecast> outlooks;

    /** Per workflow type of the pool, its recent finished runs. */
    private transient MapState<String, RunShapes> shapes;

    /** The instances of the last plan: what the pool is taken to have ready. */
    private transient ValueState<Integer> commanded;

    /** CPU seconds of the pool's runs finished since the last plan. */
    private transient ValueState<Double> work;

    /** The origin of the next plan (its timer). */
    private transient ValueState<Long> planAt;

    /** Per workflow type of the pool, its runs started and not finished, per start minute. */
    private transient MapState<String, RunsInFlight> inFlight;

    /** The planner's adapted quantile and plans not yet scored, as of the last plan. */
    private transient ValueState<PlannerMemory> memory;

    /** Per workflow type of the pool, the certifications its runs' actions asked for. */
    private transient MapState<String, List<String>> needs;

    /** The origin of the last plan made. */
    private transient ValueState<Long> plannedAt;

    /** How many times the last plan was revised. */
    private transient ValueState<Integer> revisions;

    /** Commands that said {@code uncertified} (the operator's warning). */
    private transient Counter uncertified;

    /** Per pool of this subtask, the certifications last warned about in the log. */
    private transient Map<String, Set<String>> warned;

    /**
     * Per pool of this subtask: its planner, a cache of {@link #memory} (and of the reactive
     * fallback's recent recommendations, which a restore starts again).
     */
    private transient Map<String, Planner> planners;

    /**
     * @param bucket the forecasts' step, also the planning period (a command holds one bucket)
     */
    public PlanPool(PlanningSettings settings, Duration bucket, Duration forgetAfter) {
        this.settings = settings;
        this.stepMs = bucket.toMillis();
        this.silentKeys = new SilentKeys(forgetAfter);
        this.forgetAfterMs = forgetAfter.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        outlooks =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        OUTLOOKS_STATE,
                                        Types.STRING,
                                        TypeInformation.of(TypeForecast.class)));
        shapes =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        SHAPES_STATE,
                                        Types.STRING,
                                        TypeInformation.of(RunShapes.class)));
        commanded =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(COMMANDED_STATE, Types.INT));
        work = getRuntimeContext().getState(new ValueStateDescriptor<>(WORK_STATE, Types.DOUBLE));
        planAt = getRuntimeContext().getState(new ValueStateDescriptor<>(PLAN_STATE, Types.LONG));
        inFlight =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        IN_FLIGHT_STATE,
                                        Types.STRING,
                                        TypeInformation.of(RunsInFlight.class)));
        memory =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        MEMORY_STATE, TypeInformation.of(PlannerMemory.class)));
        needs =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        NEEDS_STATE, Types.STRING, Types.LIST(Types.STRING)));
        plannedAt =
                getRuntimeContext().getState(new ValueStateDescriptor<>(PLANNED_STATE, Types.LONG));
        revisions =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(REVISIONS_STATE, Types.INT));
        uncertified = getRuntimeContext().getMetricGroup().counter(UNCERTIFIED_METRIC);
        warned = new HashMap<>();
        silentKeys.open(getRuntimeContext());
        planners = new HashMap<>();
    }

    @Override
    public void processElement(PoolInput in, Context ctx, Collector<AllocationCommand> out)
            throws Exception {
        if (in.forecast() != null && in.forecast().revisedAt() != null) {
            revise(in.forecast(), ctx);
        } else if (in.forecast() != null) {
            TypeForecast f = in.forecast();
            long origin = f.origin().toEpochMilli();
            silentKeys.touch(origin, ctx.timerService());
            Long at = planAt.value();
            if (at != null && at < origin) {
                // a later origin's forecast: the watermark jumped past several buckets at once,
                // so the pending plan is made now, with the forecasts of its own origin
                ctx.timerService().deleteEventTimeTimer(at);
                planAt.clear();
                emit(ctx.getCurrentKey(), at, ctx);
            }
            outlooks.put(f.typeKey().encoded(), f);
            if (planAt.value() == null) {
                planAt.update(origin);
                ctx.timerService().registerEventTimeTimer(origin);
            }
        } else if (in.run() != null) {
            RunSummary r = in.run();
            silentKeys.touch(r.endTime().toEpochMilli(), ctx.timerService());
            String type = r.typeKey().encoded();
            RunShapes s = shapes.get(type);
            if (s == null) {
                s = new RunShapes();
            }
            s.add(r);
            shapes.put(type, s);
            if (!r.certifications().isEmpty()) {
                List<String> had = needs.get(type);
                Set<String> all = new TreeSet<>(had == null ? List.of() : had);
                if (all.addAll(r.certifications())) {
                    needs.put(type, new ArrayList<>(all));
                }
            }
            Double w = work.value();
            work.update((w == null ? 0 : w) + r.cpuSeconds());
            if (r.startTime() != null) {
                // only a run that started was counted in flight (its start is on RUN_STARTS)
                RunsInFlight f = inFlight.get(type);
                f = f == null ? new RunsInFlight() : f;
                f.finished(r.startTime().toEpochMilli(), r.endTime().toEpochMilli(), r.actions());
                inFlight.put(type, f);
            }
        } else if (in.start() != null) {
            Arrivals a = in.start();
            silentKeys.touch(a.bucket().toEpochMilli(), ctx.timerService());
            String type = a.typeKey().encoded();
            RunsInFlight f = inFlight.get(type);
            f = f == null ? new RunsInFlight() : f;
            f.started(a.bucket().toEpochMilli(), (int) a.runs());
            if (f.isEmpty()) {
                inFlight.remove(type);
            } else {
                inFlight.put(type, f);
            }
        } else if (in.progress() != null) {
            RunProgress p = in.progress();
            silentKeys.touch(p.atMs(), ctx.timerService());
            String type = p.typeKey().encoded();
            RunsInFlight f = inFlight.get(type);
            f = f == null ? new RunsInFlight() : f;
            f.progressed(p.startMs(), p.fromDone(), p.toDone(), p.atMs());
            inFlight.put(type, f);
        } else {
            PoolSpec pool = spec(ctx.getCurrentKey());
            ctx.output(ALLOCATION_COMMANDS, certified(bounded(in.scaleUp(), pool), pool));
        }
    }

    /**
     * A forecast revised by an external event after its origin: it replaces the type's forecast of
     * that origin, and if the pool was planned at that origin already, the pool is planned again at
     * once, as at the origin and from the same memory (nothing learnt twice): a command of its own
     * id ({@code plan:<pool>:<origin>:revision-<n>}) for the same period, issued at the revision.
     * The AllocationJob holds the largest command in force, so a revision adds capacity, never
     * takes the plan's away. A plan still to come uses the revision when its time comes.
     */
    private void revise(TypeForecast f, Context ctx) throws Exception {
        String type = f.typeKey().encoded();
        long origin = f.origin().toEpochMilli();
        TypeForecast had = outlooks.get(type);
        if (had != null && had.origin().toEpochMilli() > origin) {
            return; // the forecast of a later origin came first
        }
        silentKeys.touch(origin, ctx.timerService());
        outlooks.put(type, f);
        Long planned = plannedAt.value();
        if (planned == null || planned != origin) {
            return;
        }
        String pool = ctx.getCurrentKey();
        Decision d = plan(pool, origin, true);
        if (d != null) {
            Integer n = revisions.value();
            n = n == null ? 1 : n + 1;
            revisions.update(n);
            ctx.output(
                    ALLOCATION_COMMANDS,
                    certified(Commands.revision(d, f.revisedAt(), n), spec(pool)));
        }
    }

    /**
     * The command, its rule saying {@code uncertified: <certifications>} when the pool is a
     * configured one that lacks a certification its types' runs asked for. The pool is still sized
     * for the work (it runs there: the shadow observes where the engine puts it), but never
     * silently: the rule says it on the topic and table, the {@value #UNCERTIFIED_METRIC} metric
     * counts it and the log warns once per pool and set of missing certifications. A default pool
     * has no certifications configured, so nothing is said of it.
     */
    private AllocationCommand certified(AllocationCommand c, PoolSpec pool) throws Exception {
        if (!settings.pools().containsKey(pool.id().name())) {
            return c;
        }
        Set<String> missing = new TreeSet<>();
        for (List<String> n : needs.values()) {
            missing.addAll(n);
        }
        missing.removeAll(pool.certifications());
        if (missing.isEmpty()) {
            warned.remove(pool.id().name());
            return c;
        }
        uncertified.inc();
        if (!missing.equals(warned.put(pool.id().name(), missing))) {
            LOG.warn(
                    "pool {} lacks the certifications {} that its workflow types' actions need;"
                            + " its commands say uncertified",
                    pool.id(),
                    missing);
        }
        return new AllocationCommand(
                c.commandId(),
                c.pool(),
                c.cores(),
                c.memoryBytes(),
                c.networkBytesPerSecond(),
                c.instances(),
                c.readyBy(),
                c.expiresAt(),
                c.certifications(),
                c.quantile(),
                c.reason(),
                c.issuedAt(),
                c.dryRun(),
                c.rule() + ", uncertified: " + String.join(", ", missing),
                c.basis());
    }

    /** An anomaly scale-up within the pool's maximum and budget, a dry run in forecast-only. */
    static AllocationCommand bounded(AllocationCommand c, PoolSpec pool) {
        int instances = c.instances();
        String rule = "anomaly";
        if (instances > pool.maxInstances()) {
            instances = pool.maxInstances();
            rule += ", maximum";
        }
        if (instances > pool.budgetInstances()) {
            instances = pool.budgetInstances();
            rule += ", budget";
        }
        return new AllocationCommand(
                c.commandId(),
                pool.id().name(),
                c.cores(),
                c.memoryBytes(),
                c.networkBytesPerSecond(),
                instances,
                c.readyBy(),
                c.expiresAt(),
                c.certifications(),
                c.quantile(),
                c.reason(),
                c.issuedAt(),
                c.dryRun() || pool.forecastOnly(),
                rule,
                c.basis());
    }

    private PoolSpec spec(String pool) {
        return settings.spec(new PoolId(pool));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AllocationCommand> out)
            throws Exception {
        if (silentKeys.expired(timestamp)) {
            Long at = planAt.value();
            if (at != null) {
                ctx.timerService().deleteEventTimeTimer(at);
            }
            outlooks.clear();
            shapes.clear();
            commanded.clear();
            work.clear();
            planAt.clear();
            inFlight.clear();
            memory.clear();
            needs.clear();
            plannedAt.clear();
            revisions.clear();
            planners.remove(ctx.getCurrentKey());
            warned.remove(ctx.getCurrentKey());
            return;
        }
        Long at = planAt.value();
        if (at == null || at != timestamp) {
            return;
        }
        planAt.clear();
        emit(ctx.getCurrentKey(), timestamp, ctx);
    }

    private void emit(String pool, long origin, Context ctx) throws Exception {
        Decision d = plan(pool, origin, false);
        if (d != null) {
            ctx.output(ALLOCATION_COMMANDS, certified(Commands.of(d), spec(pool)));
        }
    }

    /**
     * The pool's plan at {@code now}; a revision plans with a copy of the planner (its quantile and
     * plans to score stay those of the plan it revises) and only raises the instances taken as
     * ready.
     */
    private Decision plan(String pool, long now, boolean revision) throws Exception {
        List<String> names = new ArrayList<>();
        List<TypeOutlook> types = new ArrayList<>();
        List<ResourceProfile> profiles = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        boolean forecast = false;
        for (Map.Entry<String, RunShapes> e : shapes.entries()) {
            if (e.getValue().runs() == 0) {
                continue; // a type whose runs' demand is not known yet
            }
            TypeForecast f = outlooks.get(e.getKey());
            boolean fresh = f != null && f.origin().toEpochMilli() > now - 2 * stepMs;
            RunsInFlight running = inFlight.get(e.getKey());
            if (!fresh && (running == null || running.runningAt(now) == 0)) {
                continue; // a stale forecast and nothing running: the type adds nothing
            }
            String name = WorkloadKey.decode(e.getKey()).toString(); // as the basis shows it
            index.put(e.getKey(), types.size());
            names.add(e.getKey());
            types.add(fresh ? outlook(name, f) : null);
            profiles.add(e.getValue().profile(name));
            forecast |= fresh;
        }
        if (!forecast) {
            return null;
        }
        PoolSpec spec = spec(pool);
        Planner planner = planners.get(pool);
        if (planner == null) {
            var d = PlannerSettings.defaults();
            planner =
                    new Planner(
                            spec,
                            new PlannerSettings(
                                    d.quantile(),
                                    d.minQuantile(),
                                    d.maxQuantile(),
                                    d.adaptation(),
                                    stepMs));
            PlannerMemory m = memory.value();
            if (m != null) {
                planner.restore(m.memory());
            }
            planners.put(pool, planner);
        }
        if (revision) {
            Planner copy = new Planner(spec, planner.settings());
            copy.restore(planner.memory());
            planner = copy;
        }
        // the runs in flight, one entry per (type, start minute, actions ended) with its count
        List<long[]> running = new ArrayList<>();
        for (String type : names) {
            RunsInFlight f = inFlight.get(type);
            if (f == null) {
                continue;
            }
            boolean settled = f.settle(now);
            if (f.forgetBefore(now - forgetAfterMs) || settled) {
                if (f.isEmpty()) {
                    inFlight.remove(type);
                    continue;
                }
                inFlight.put(type, f);
            }
            for (int i = 0; i < f.startMs.length && f.startMs[i] < now; i++) {
                if (f.count[i] > 0) {
                    running.add(new long[] {index.get(type), f.startMs[i], f.count[i], f.done[i]});
                }
            }
        }
        int[] runType = new int[running.size()];
        long[] runStart = new long[running.size()];
        int[] runCount = new int[running.size()];
        int[] runDone = new int[running.size()];
        for (int i = 0; i < runType.length; i++) {
            runType[i] = (int) running.get(i)[0];
            runStart[i] = running.get(i)[1];
            runCount[i] = (int) running.get(i)[2];
            runDone[i] = (int) running.get(i)[3];
        }
        long lead = spec.leadMs();
        long[] atMs = {now + lead, now + lead + stepMs / 2, now + lead + stepMs};
        PoolDemand demand =
                new DemandForecaster(profiles.toArray(new ResourceProfile[0]))
                        .forecast(
                                now,
                                atMs,
                                runType,
                                runStart,
                                runCount,
                                runDone,
                                runType.length,
                                types.toArray(new TypeOutlook[0]));
        Integer ready = commanded.value();
        Double done = work.value();
        PoolObservation seen =
                new PoolObservation(
                        ready == null ? 0 : ready,
                        0,
                        (done == null ? 0 : done) / (stepMs / 1000.0),
                        0);
        Decision d = planner.plan(now, seen, demand);
        if (revision) {
            commanded.update(Math.max(d.instances(), ready == null ? 0 : ready));
            return d;
        }
        commanded.update(d.instances());
        work.clear();
        memory.update(PlannerMemory.of(planner.memory()));
        plannedAt.update(now);
        revisions.clear();
        return d;
    }

    private static TypeOutlook outlook(String name, TypeForecast f) {
        return new TypeOutlook(
                name,
                f.origin().toEpochMilli(),
                f.stepMs(),
                f.mean(),
                f.variance(),
                f.model(),
                f.why(),
                f.events(),
                f.dependencies());
    }
}
