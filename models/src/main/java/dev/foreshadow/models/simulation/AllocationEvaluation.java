package dev.foreshadow.models.simulation;

import dev.foreshadow.models.demand.AnnouncedEvent;
import dev.foreshadow.models.planning.HorizontalPodAutoscaler;
import dev.foreshadow.models.workload.WfWorkflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.DoubleConsumer;

/**
 * {@code eval allocation}: replays an arrivals trace over real WfCommons workflows on the simulated
 * pool under each policy (reactive HPA, the ATC'20 hybrid histogram, foreshadow, the oracle) and
 * compares them. Input: the trace, the workflow instances, the external events and the {@link
 * Settings}; output: a {@link Report} with one {@link SimulationResult} per policy.
 *
 * <p>The split is fixed before anything is tuned: the first {@link #DEVELOPMENT_SHARE} of the
 * trace's buckets are the development part, the rest is held out. A part is measured on the runs
 * that start in it; the cluster starts {@link #WARM_UP_MS} earlier when the trace allows (runs of
 * the warm-up load the cluster but are not measured), and the forecaster and the learned event
 * effects use everything before the moment they forecast, as in production.
 */
public final class AllocationEvaluation {

    /** The share of each trace's buckets that development may look at. */
    public static final double DEVELOPMENT_SHARE = 0.7;

    /** How long the cluster runs before the measured span starts, when the trace allows. */
    public static final long WARM_UP_MS = 6 * 3600_000L;

    /** Which part of a trace to measure. */
    public enum Part {
        DEVELOPMENT,
        HELD_OUT
    }

    public record Settings(
            InstanceShape shape,
            int maxInstances,
            long announceLeadMs,
            long seed,
            Part part,
            int timelinePoints,
            int threads) {

        public static Settings defaults() {
            return new Settings(
                    InstanceShape.defaults(), 100_000, 24 * 3600_000L, 42, Part.HELD_OUT, 1000, 2);
        }

        public Settings {
            if (maxInstances < 1) {
                throw new IllegalArgumentException("maxInstances must be >= 1");
            }
            if (announceLeadMs < 0) {
                throw new IllegalArgumentException("the announcement lead must be >= 0");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1");
            }
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
            float[] demandCores,
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
    }

    private AllocationEvaluation() {}

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
        java.util.Arrays.sort(runs, java.util.Comparator.comparingLong(x -> x[1]));
        return runs;
    }

    public static Report run(
            ArrivalTrace trace,
            List<WfWorkflow> workflows,
            List<AnnouncedEvent> events,
            Settings settings,
            DoubleConsumer progress)
            throws InterruptedException {
        long started = System.nanoTime();
        Map<String, List<WfWorkflow>> byName = new TreeMap<>();
        for (WfWorkflow w : workflows) {
            byName.computeIfAbsent(w.name(), k -> new ArrayList<>()).add(w);
        }
        List<String> names = new ArrayList<>(byName.keySet());
        Map<String, String> mapping = new TreeMap<>();
        Template[][] templates = new Template[trace.types().size()][];
        for (int k = 0; k < trace.types().size(); k++) {
            String type = trace.types().get(k);
            String name = byName.containsKey(type) ? type : names.get(k % names.size());
            mapping.put(type, name);
            templates[k] =
                    byName.get(name).stream()
                            .map(
                                    w ->
                                            new Template(
                                                    w,
                                                    settings.shape().cores(),
                                                    settings.shape().memoryMiB()))
                            .toArray(Template[]::new);
        }
        Workload workload = Workload.generate(trace, templates, settings.seed());
        int split = (int) Math.floor(trace.buckets() * DEVELOPMENT_SHARE);
        long splitMs = trace.bucketStartMs(split);
        long measureFrom = settings.part() == Part.DEVELOPMENT ? trace.firstBucketMs() : splitMs;
        long measureTo = settings.part() == Part.DEVELOPMENT ? splitMs : trace.endMs();
        long simulateFrom = Math.max(trace.firstBucketMs(), measureFrom - WARM_UP_MS);
        long measuredRuns =
                workload.firstAtOrAfter(measureTo) - workload.firstAtOrAfter(measureFrom);

        int points = settings.timelinePoints();
        long sampleMs = Math.max(1, (measureTo - measureFrom + points - 1) / points);
        int chartPoints = (int) ((measureTo - measureFrom + sampleMs - 1) / sampleMs);
        UnboundedDemand demand =
                UnboundedDemand.of(
                        workload,
                        settings.shape(),
                        simulateFrom,
                        measureTo,
                        5_000,
                        measureFrom,
                        sampleMs,
                        chartPoints);

        List<Policy> policies = new ArrayList<>();
        policies.add(
                new ReactivePolicy(
                        HorizontalPodAutoscaler.Settings.defaults(settings.maxInstances())));
        policies.add(
                new HybridHistogramPolicy(trace.types().size(), history(workload, simulateFrom)));
        policies.add(new OraclePolicy(demand, settings.shape().leadMs()));

        long span = Math.max(1, measureTo - simulateFrom);
        AtomicLongArray done = new AtomicLongArray(policies.size());
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
        try {
            List<Future<SimulationResult>> futures = new ArrayList<>();
            for (int i = 0; i < policies.size(); i++) {
                int index = i;
                Policy policy = policies.get(i);
                futures.add(
                        pool.submit(
                                () ->
                                        new Cluster(
                                                        workload,
                                                        settings.shape(),
                                                        policy,
                                                        simulateFrom,
                                                        measureFrom,
                                                        measureTo,
                                                        settings.seed(),
                                                        points)
                                                .run(
                                                        t -> {
                                                            done.set(
                                                                    index,
                                                                    Math.min(
                                                                            span,
                                                                            t - simulateFrom));
                                                            double sum = 0;
                                                            for (int j = 0;
                                                                    j < done.length();
                                                                    j++) {
                                                                sum += done.get(j);
                                                            }
                                                            progress.accept(
                                                                    sum
                                                                            / ((double) span
                                                                                    * done
                                                                                            .length()));
                                                        })));
            }
            List<SimulationResult> results = new ArrayList<>();
            for (Future<SimulationResult> f : futures) {
                results.add(f.get());
            }
            progress.accept(1.0);
            return new Report(
                    settings.part(),
                    measureFrom,
                    measureTo,
                    splitMs,
                    mapping,
                    measuredRuns,
                    results,
                    demand.chartCores,
                    (System.nanoTime() - started) / 1e9);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
