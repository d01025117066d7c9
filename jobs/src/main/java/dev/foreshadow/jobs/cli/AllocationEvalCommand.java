package dev.foreshadow.jobs.cli;

import dev.foreshadow.models.demand.AnnouncedEvent;
import dev.foreshadow.models.simulation.AllocationEvaluation;
import dev.foreshadow.models.simulation.ArrivalTrace;
import dev.foreshadow.models.simulation.EventsFile;
import dev.foreshadow.models.simulation.InstanceShape;
import dev.foreshadow.models.simulation.SimulationResult;
import dev.foreshadow.models.workload.WfFormat;
import dev.foreshadow.models.workload.WfWorkflow;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foreshadow eval allocation --arrivals CSV --workflows DIR [--events CSV]}: replays the
 * trace on the simulated pool under the reactive HPA rule, the ATC'20 hybrid histogram, foreshadow
 * and the oracle ({@link AllocationEvaluation}), prints per policy its cost and waiting, writes a
 * chart under {@code --out}, and ends with {@code allocation cost_vs_reactive=..
 * wait_vs_reactive=.. cost_vs_oracle=.. wait_vs_hybrid=..} for foreshadow.
 */
@Command(
        name = "allocation",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {
            "  ./foreshadow eval allocation --arrivals"
                    + " ../shared/data/arrivals/azure_functions_2019_arrivals.csv"
        },
        description =
                "Simulate a pool under reactive, hybrid-histogram, foreshadow and oracle policies on"
                        + " an arrivals trace over real WfCommons workflows.")
final class AllocationEvalCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--arrivals",
            required = true,
            paramLabel = "CSV",
            description = "timestamp,workflow_type[,count] (runs started per bucket)")
    Path arrivals;

    @Option(
            names = "--workflows",
            paramLabel = "DIR",
            description = "WfCommons WfFormat instances (*.json); default: shared/data/wfcommons")
    Path workflows;

    @Option(
            names = "--events",
            paramLabel = "CSV",
            description = "start,end,kind,magnitude,workflow_types (external events)")
    Path events;

    @Option(
            names = "--part",
            paramLabel = "PART",
            defaultValue = "held-out",
            description = "held-out (the last 30%%, what is reported) or development")
    String part;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--instance-cores",
            defaultValue = "8",
            description = "Cores per instance (default ${DEFAULT-VALUE}).")
    int cores;

    @Option(
            names = "--instance-memory-gib",
            defaultValue = "32",
            description = "Memory per instance in GiB (default ${DEFAULT-VALUE}).")
    double memoryGib;

    @Option(
            names = "--boot-seconds",
            defaultValue = "120",
            description = "Boot time (default ${DEFAULT-VALUE}).")
    double bootSeconds;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "60",
            description = "Warm-up (validation) time (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(
            names = "--warmup-failure-rate",
            defaultValue = "0.02",
            description = "Share of warm-ups that fail (default ${DEFAULT-VALUE}).")
    double failureRate;

    @Option(
            names = "--announce-lead-hours",
            defaultValue = "24",
            description =
                    "How long before its start an event is announced (default ${DEFAULT-VALUE}).")
    double announceLeadHours;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "target/eval",
            description = "Where the chart goes (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        AllocationEvaluation.Part which =
                switch (part) {
                    case "held-out" -> AllocationEvaluation.Part.HELD_OUT;
                    case "development" -> AllocationEvaluation.Part.DEVELOPMENT;
                    default ->
                            throw new CliException(
                                    "--part must be held-out or development, got " + part);
                };
        if (!(announceLeadHours >= 0)) {
            throw new CliException("--announce-lead-hours must be >= 0");
        }
        InstanceShape shape;
        try {
            shape =
                    new InstanceShape(
                            cores,
                            Math.round(memoryGib * (1L << 30)),
                            Math.round(bootSeconds * 1000),
                            Math.round(warmupSeconds * 1000),
                            failureRate,
                            1.0);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        Path dir = DataDir.resolve(workflows, "wfcommons");
        ArrivalTrace trace = read(() -> ArrivalTrace.read(arrivals), arrivals);
        List<WfWorkflow> instances = read(() -> WfFormat.read(dir), dir);
        long lead = Math.round(announceLeadHours * 3600_000);
        List<AnnouncedEvent> announced =
                events == null ? List.of() : read(() -> EventsFile.read(events, lead), events);
        AllocationEvaluation.Settings defaults = AllocationEvaluation.Settings.defaults();
        AllocationEvaluation.Settings settings =
                new AllocationEvaluation.Settings(
                        shape,
                        defaults.maxInstances(),
                        defaults.cooldownMs(),
                        lead,
                        defaults.planner(),
                        seed,
                        which,
                        defaults.timelinePoints(),
                        defaults.threads());

        AllocationEvaluation.Report report;
        try (ProgressBar bar =
                new ProgressBarBuilder()
                        .setTaskName("allocation")
                        .setInitialMax(1000)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err))
                        .setUpdateIntervalMillis(500)
                        .build()) {
            report =
                    AllocationEvaluation.run(
                            trace,
                            instances,
                            announced,
                            settings,
                            (phase, done) -> {
                                synchronized (bar) {
                                    bar.setExtraMessage(phase);
                                    bar.stepTo(Math.round(done * 1000));
                                }
                            });
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        print(trace, instances.size(), announced.size(), dir, report);
        return 0;
    }

    private void print(
            ArrivalTrace trace,
            int instances,
            int events,
            Path dir,
            AllocationEvaluation.Report r) {
        PrintWriter w = spec.commandLine().getOut();
        w.printf(
                Locale.ROOT,
                "%s: %d types, %d runs, buckets of %d s; %s: %d workflow instances; %d events%n",
                arrivals,
                trace.types().size(),
                trace.totalRuns(),
                trace.stepMs() / 1000,
                dir,
                instances,
                events);
        w.printf(
                Locale.ROOT,
                "part %s: runs starting %s .. %s (%d runs); the split is at %s (the first %.0f%%"
                        + " of the trace is the development part), the cluster warms up %d h"
                        + " before%n",
                part,
                Instant.ofEpochMilli(r.measureFromMs()),
                Instant.ofEpochMilli(r.measureToMs()),
                r.runs(),
                Instant.ofEpochMilli(r.splitMs()),
                100 * AllocationEvaluation.DEVELOPMENT_SHARE,
                AllocationEvaluation.WARM_UP_MS / 3600_000);
        w.println("workflows: " + r.mapping());
        w.println(
                "dependencies found: "
                        + (r.dependencies().isEmpty()
                                ? "none"
                                : String.join("; ", r.dependencies())));
        w.printf(
                Locale.ROOT,
                "%-11s %12s %11s %10s %13s %10s %10s %11s %10s %8s%n",
                "policy",
                "instance-h",
                "x_oracle",
                "wait_share",
                "wait_task-h",
                "p50_delay",
                "p99_delay",
                "cold_starts",
                "requested",
                "failed");
        SimulationResult oracle = r.result("oracle");
        for (SimulationResult s : r.results()) {
            w.printf(
                    Locale.ROOT,
                    "%-11s %12.1f %11.3f %10.5f %13.1f %9.1fs %9.1fs %11d %10d %8d%n",
                    s.policy(),
                    s.instanceHours(),
                    s.cost() / oracle.cost(),
                    s.waitShare(),
                    s.waitSeconds() / 3600,
                    s.p50DelaySeconds(),
                    s.p99DelaySeconds(),
                    s.coldStarts(),
                    s.instancesRequested(),
                    s.warmupFailures());
        }
        SimulationResult foreshadow = r.result("foreshadow");
        List<String> waits = new ArrayList<>();
        for (int k = 0; k < trace.types().size(); k++) {
            waits.add(
                    String.format(
                            Locale.ROOT,
                            "%s %.1f",
                            trace.types().get(k),
                            foreshadow.waitSecondsByType()[k] / 3600));
        }
        w.println("foreshadow wait task-h by type: " + String.join(", ", waits));
        foreshadow.notes().forEach(n -> w.println("foreshadow " + n));
        Path chart = out.resolve("allocation-" + stem(arrivals) + "-" + part + ".png");
        AllocationChart.write(chart, stem(arrivals) + " (" + part + ")", r);
        double simulatorSeconds =
                r.results().stream().mapToDouble(SimulationResult::wallSeconds).sum();
        w.printf(
                Locale.ROOT,
                "forecasts %.1f s; simulation %,d events in %.1f s of simulator threads: %,.0f"
                        + " events/s; elapsed %.1f s; chart %s%n",
                r.forecastSeconds(),
                r.events(),
                simulatorSeconds,
                r.eventsPerSecond(),
                r.wallSeconds(),
                chart);
        SimulationResult reactive = r.result("reactive");
        SimulationResult hybrid = r.result("hybrid");
        w.printf(
                Locale.ROOT,
                "allocation cost_vs_reactive=%.3f wait_vs_reactive=%.3f cost_vs_oracle=%.3f"
                        + " wait_vs_hybrid=%.3f%n",
                foreshadow.cost() / reactive.cost(),
                ratio(foreshadow.waitSeconds(), reactive.waitSeconds()),
                foreshadow.cost() / oracle.cost(),
                ratio(foreshadow.waitSeconds(), hybrid.waitSeconds()));
        w.flush();
    }

    private static double ratio(double a, double b) {
        return b > 0 ? a / b : a > 0 ? Double.POSITIVE_INFINITY : 1;
    }

    private static String stem(Path file) {
        return file.getFileName().toString().replaceAll("\\.csv$", "");
    }

    /** Something that reads a file and may reject it. */
    private interface Reader<T> {
        T read() throws IOException;
    }

    private static <T> T read(Reader<T> reader, Path file) {
        if (file != null && !Files.exists(file)) {
            throw new CliException(file + " does not exist");
        }
        try {
            return reader.read();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
