package dev.foreshadow.models.simulation;

import dev.foreshadow.models.demand.AnnouncedEvent;
import dev.foreshadow.models.demand.Cascade;
import dev.foreshadow.models.demand.DemandForecaster;
import dev.foreshadow.models.demand.EventEffects;
import dev.foreshadow.models.demand.Outlooks;
import dev.foreshadow.models.demand.ResourceProfile;
import dev.foreshadow.models.demand.SelectionForecaster;
import dev.foreshadow.models.demand.TypeOutlook;
import dev.foreshadow.models.dependency.Dependency;
import dev.foreshadow.models.dependency.DependencyStats;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.planning.HorizontalPodAutoscaler;
import dev.foreshadow.models.planning.Planner;
import dev.foreshadow.models.planning.PlannerSettings;
import dev.foreshadow.models.planning.PoolSpec;
import dev.foreshadow.models.workload.WfWorkflow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code eval allocation}: replays an arrivals trace over real WfCommons workflows on the simulated
 * pool under each policy (reactive HPA, the ATC'20 hybrid histogram, foreshadow, the oracle) and
 * compares them. Input: the trace, the workflow instances, the external events and the {@link
 * Settings}; output: a {@link Report} with one {@link SimulationResult} per policy.
 *
 * <p>The split is fixed before anything is tuned: the first {@link #DEVELOPMENT_SHARE} of the
 * trace's buckets are the development part, the rest is held out. A part is measured on the runs
 * that start in it, after a warm-up of {@link #WARM_UP_MS} (its runs load the cluster but are not
 * measured): the held-out part's warm-up is the end of the development part, the development part's
 * the trace's first hours. The forecaster and the learned event effects use everything before the
 * moment they forecast, as in production.
 *
 * <p>Trace types map to the workflows of the same name, otherwise the k-th type in sorted order to
 * the (k mod W)-th of the W workflow names in sorted order; each run is one of its workflow's
 * instances (uniformly), and each type's resource profile is learned from those instances' tasks.
 */
public final class AllocationEvaluation {

    /** The share of each trace's buckets that development may look at. */
    public static final double DEVELOPMENT_SHARE = 0.7;

    /** How long the cluster runs before the measured span starts, when the trace allows. */
    public static final long WARM_UP_MS = 6 * 3600_000L;

    /** The resource profiles' offset bins. */
    static final long PROFILE_BIN_MS = 10_000;

    /** The oracle's resolution. */
    static final long ORACLE_BIN_MS = 5_000;

    /** Which part of a trace to measure. */
    public enum Part {
        DEVELOPMENT,
        HELD_OUT
    }

    /** Called with the phase and the share of it done. */
    public interface Progress {
        void update(String phase, double done);
    }

    public record Settings(
            InstanceShape shape,
            int maxInstances,
            long cooldownMs,
            long announceLeadMs,
            PlannerSettings planner,
            long seed,
            Part part,
            int timelinePoints,
            int threads) {

        public static Settings defaults() {
            return new Settings(
                    InstanceShape.defaults(),
                    100_000,
                    60_000,
                    24 * 3600_000L,
                    PlannerSettings.defaults(),
                    42,
                    Part.HELD_OUT,
                    1000,
                    2);
        }

        public Settings {
            if (maxInstances < 1) {
                throw new IllegalArgumentException("the maximum of instances must be >= 1");
            }
            if (announceLeadMs < 0 || cooldownMs < 0) {
                throw new IllegalArgumentException(
                        "the announcement lead and the cooldown must be >= 0");
            }
            if (threads < 1 || timelinePoints < 1) {
                throw new IllegalArgumentException("threads and timeline points must be >= 1");
            }
        }

        public Settings withPart(Part p) {
            return new Settings(
                    shape,
                    maxInstances,
                    cooldownMs,
                    announceLeadMs,
                    planner,
                    seed,
                    p,
                    timelinePoints,
                    threads);
        }
    }

    /**
     * The outcome of one evaluation.
     *
     * @param mapping each trace type and the workflow its runs are instances of
     * @param demandCores average cores the runs would use on an unbounded cluster, on the grid of
     *     every result's timeline
     */
    public record Report(
            Part part,
            long measureFromMs,
            long measureToMs,
            long splitMs,
            Map<String, String> mapping,
            long runs,
            List<SimulationResult> results,
            List<String> dependencies,
            float[] demandCores,
            double forecastSeconds,
            double wallSeconds) {

        public SimulationResult result(String policy) {
            return results.stream()
                    .filter(r -> r.policy().equals(policy))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no policy " + policy));
        }

        public long events() {
            return results.stream().mapToLong(SimulationResult::events).sum();
        }

        /** Simulator events per second of simulation thread time. */
        public double eventsPerSecond() {
            double seconds = results.stream().mapToDouble(SimulationResult::wallSeconds).sum();
            return seconds > 0 ? events() / seconds : 0;
        }
    }

    private AllocationEvaluation() {}

    public static Report run(
            ArrivalTrace trace,
            List<WfWorkflow> workflows,
            List<AnnouncedEvent> events,
            Settings settings,
            Progress progress)
            throws InterruptedException {
        long started = System.nanoTime();
        Map<String, String> mapping = new TreeMap<>();
        Template[][] templates = templates(trace, workflows, settings.shape(), mapping);
        Workload workload = Workload.generate(trace, templates, settings.seed());
        int split = (int) Math.floor(trace.buckets() * DEVELOPMENT_SHARE);
        long splitMs = trace.bucketStartMs(split);
        boolean development = settings.part() == Part.DEVELOPMENT;
        long measureFrom =
                development ? Math.min(splitMs, trace.firstBucketMs() + WARM_UP_MS) : splitMs;
        long measureTo = development ? splitMs : trace.endMs();
        long simulateFrom = Math.max(trace.firstBucketMs(), measureFrom - WARM_UP_MS);
        long measuredRuns =
                workload.firstAtOrAfter(measureTo) - workload.firstAtOrAfter(measureFrom);

        ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
        try {
            long forecastStarted = System.nanoTime();
            Cascade cascade =
                    new Cascade(
                            dependencies(trace, workload, simulateFrom),
                            trace.types(),
                            trace.stepMs());
            ForeshadowPolicy foreshadow =
                    foreshadow(
                            trace,
                            workload,
                            templates,
                            events,
                            cascade,
                            settings,
                            simulateFrom,
                            measureTo,
                            pool,
                            progress);
            double forecastSeconds = (System.nanoTime() - forecastStarted) / 1e9;

            int points = settings.timelinePoints();
            long sampleMs = Math.max(1, (measureTo - measureFrom + points - 1) / points);
            int chartPoints = (int) ((measureTo - measureFrom + sampleMs - 1) / sampleMs);
            UnboundedDemand demand =
                    UnboundedDemand.of(
                            workload,
                            settings.shape(),
                            simulateFrom,
                            measureTo,
                            ORACLE_BIN_MS,
                            measureFrom,
                            sampleMs,
                            chartPoints);
            List<Policy> policies =
                    List.of(
                            new ReactivePolicy(
                                    HorizontalPodAutoscaler.Settings.defaults(
                                            settings.maxInstances())),
                            new HybridHistogramPolicy(
                                    trace.types().size(), history(workload, simulateFrom)),
                            foreshadow,
                            new OraclePolicy(demand, settings.shape().leadMs()));
            List<SimulationResult> results =
                    simulate(
                            workload,
                            policies,
                            settings,
                            simulateFrom,
                            measureFrom,
                            measureTo,
                            pool,
                            progress);
            return new Report(
                    settings.part(),
                    measureFrom,
                    measureTo,
                    splitMs,
                    mapping,
                    measuredRuns,
                    results,
                    cascade.describe(),
                    demand.chartCores,
                    forecastSeconds,
                    (System.nanoTime() - started) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Each trace type's templates: the instances of the workflow it maps to. */
    static Template[][] templates(
            ArrivalTrace trace,
            List<WfWorkflow> workflows,
            InstanceShape shape,
            Map<String, String> mapping) {
        Map<String, List<WfWorkflow>> byName = new TreeMap<>();
        for (WfWorkflow w : workflows) {
            byName.computeIfAbsent(w.name(), k -> new ArrayList<>()).add(w);
        }
        if (byName.isEmpty()) {
            throw new IllegalArgumentException("no workflow instances");
        }
        List<String> names = new ArrayList<>(byName.keySet());
        Template[][] templates = new Template[trace.types().size()][];
        for (int k = 0; k < trace.types().size(); k++) {
            String type = trace.types().get(k);
            String name = byName.containsKey(type) ? type : names.get(k % names.size());
            mapping.put(type, name);
            templates[k] =
                    byName.get(name).stream()
                            .map(w -> new Template(w, shape.cores(), shape.memoryMiB()))
                            .toArray(Template[]::new);
        }
        return templates;
    }

    /** Dependencies between the types, from the start times of the runs before {@code t}. */
    static List<Dependency> dependencies(ArrivalTrace trace, Workload workload, long t) {
        int n = workload.firstAtOrAfter(t);
        Map<String, long[]> starts = new TreeMap<>();
        for (int k = 0; k < trace.types().size(); k++) {
            int type = k;
            starts.put(
                    trace.types().get(k),
                    java.util.stream.IntStream.range(0, n)
                            .filter(r -> workload.type[r] == type)
                            .mapToLong(r -> workload.startMs[r])
                            .toArray());
        }
        return DependencyStats.fromStarts(starts);
    }

    /** Runs that start before {@code t}: (start, unbounded end, type), in order of end. */
    static long[][] history(Workload workload, long t) {
        int n = workload.firstAtOrAfter(t);
        long[][] runs = new long[n][];
        for (int r = 0; r < n; r++) {
            long start = workload.startMs[r];
            runs[r] =
                    new long[] {
                        start,
                        start + workload.templates.get(workload.template[r]).criticalPathMs,
                        workload.type[r]
                    };
        }
        Arrays.sort(runs, Comparator.comparingLong(x -> x[1]));
        return runs;
    }

    /**
     * The foreshadow policy: the types' profiles from their templates, and every type's outlook at
     * every step origin of the simulated span (in parallel across types; in order within one, as
     * the learned event effects require), a prior from the other types for a type without history.
     */
    private static ForeshadowPolicy foreshadow(
            ArrivalTrace trace,
            Workload workload,
            Template[][] templates,
            List<AnnouncedEvent> events,
            Cascade cascade,
            Settings settings,
            long simulateFrom,
            long measureTo,
            ExecutorService pool,
            Progress progress)
            throws InterruptedException {
        int types = trace.types().size();
        double[][] counts = new double[types][];
        for (int k = 0; k < types; k++) {
            counts[k] = trace.history(k, trace.buckets());
        }
        ResourceProfile[] profiles = new ResourceProfile[types];
        for (int k = 0; k < types; k++) {
            ResourceProfile.Builder b =
                    ResourceProfile.builder(trace.types().get(k), PROFILE_BIN_MS, 1000);
            for (Template t : templates[k]) {
                b.addRun(t.actions());
            }
            profiles[k] = b.build();
        }
        long step = trace.stepMs();
        long lead = settings.shape().leadMs();
        int horizon = 1 + (int) ((lead + settings.planner().periodMs() + step - 1) / step);
        SelectionForecaster forecaster = SelectionForecaster.forStep(step);
        Outlooks outlooks =
                new Outlooks(
                        forecaster,
                        new EventEffects(),
                        events,
                        trace.firstBucketMs(),
                        step,
                        horizon);
        int first = (int) Math.floorDiv(simulateFrom - trace.firstBucketMs(), step);
        int last = (int) Math.floorDiv(measureTo - 1 - trace.firstBucketMs(), step);
        int steps = last - first + 1;
        TypeOutlook[][] byType = new TypeOutlook[types][steps];
        AtomicLong done = new AtomicLong();
        List<Callable<Void>> jobs = new ArrayList<>();
        for (int k = 0; k < types; k++) {
            int type = k;
            // the type's own forecaster learns from its runs that no other type started
            double[] own = cascade.isEmpty() ? counts[k] : cascade.untriggered(k, counts);
            jobs.add(
                    () -> {
                        for (int i = 0; i < steps; i++) {
                            byType[type][i] = outlooks.at(trace.types().get(type), own, first + i);
                            long d = done.incrementAndGet();
                            if (d % 64 == 0) {
                                progress.update("forecasts", (double) d / (types * steps));
                            }
                        }
                        return null;
                    });
        }
        await(pool.invokeAll(jobs));
        for (int i = 0; i < steps; i++) {
            List<TypeOutlook> known = new ArrayList<>();
            for (int k = 0; k < types; k++) {
                if (byType[k][i].available()) {
                    known.add(byType[k][i]);
                }
            }
            TypeOutlook[] origin = new TypeOutlook[types];
            for (int k = 0; k < types; k++) {
                origin[k] =
                        !byType[k][i].available() && !known.isEmpty()
                                ? TypeOutlook.prior(trace.types().get(k), known)
                                : byType[k][i];
            }
            origin = cascade.apply(origin, counts, first + i);
            for (int k = 0; k < types; k++) {
                byType[k][i] = origin[k];
            }
        }
        progress.update("forecasts", 1);
        PoolSpec spec =
                new PoolSpec(
                        new PoolId("eval"),
                        settings.shape().cores(),
                        settings.shape().memoryBytes(),
                        lead,
                        0,
                        settings.maxInstances(),
                        settings.shape().pricePerHour(),
                        0,
                        settings.cooldownMs(),
                        Set.of(),
                        false);
        return new ForeshadowPolicy(
                new Planner(spec, settings.planner()),
                new DemandForecaster(profiles),
                byType,
                first,
                trace.firstBucketMs(),
                step,
                workload.runs());
    }

    private static List<SimulationResult> simulate(
            Workload workload,
            List<Policy> policies,
            Settings settings,
            long simulateFrom,
            long measureFrom,
            long measureTo,
            ExecutorService pool,
            Progress progress)
            throws InterruptedException {
        long span = Math.max(1, measureTo - simulateFrom);
        AtomicLongArray done = new AtomicLongArray(policies.size());
        List<Callable<SimulationResult>> jobs = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++) {
            int index = i;
            Cluster cluster =
                    new Cluster(
                            workload,
                            settings.shape(),
                            policies.get(i),
                            simulateFrom,
                            measureFrom,
                            measureTo,
                            settings.seed(),
                            settings.timelinePoints());
            jobs.add(
                    () ->
                            cluster.run(
                                    t -> {
                                        done.set(index, Math.min(span, t - simulateFrom));
                                        long sum = 0;
                                        for (int j = 0; j < done.length(); j++) {
                                            sum += done.get(j);
                                        }
                                        progress.update(
                                                "simulation", (double) sum / span / done.length());
                                    }));
        }
        List<SimulationResult> results = await(pool.invokeAll(jobs));
        progress.update("simulation", 1);
        return results;
    }

    private static <T> List<T> await(List<Future<T>> futures) throws InterruptedException {
        List<T> out = new ArrayList<>();
        try {
            for (Future<T> f : futures) {
                out.add(f.get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
        return out;
    }
}
