package dev.foreshadow.jobs.cli;

import dev.foreshadow.jobs.common.ProgressBars;
import dev.foreshadow.models.anomaly.ActionScorer;
import dev.foreshadow.models.anomaly.flowbench.FlowBench;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foreshadow eval workflow-anomalies --flowbench DIR}: replays the labelled FlowBench runs
 * under {@code DIR/data} as per-task action samples through {@link ActionScorer} (the scoring of
 * the shadow job) and prints precision, recall and F1 per anomaly label and overall, for the
 * development runs, the held-out runs ({@link FlowBench#heldOutRuns}) and all runs; the last line
 * is {@code FlowBench precision=P recall=R f1=F} (all runs), after the same line for each side.
 */
@Command(
        name = "workflow-anomalies",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  ./foreshadow eval workflow-anomalies --flowbench ../shared/data/flowbench"},
        description = "Score per-action anomaly detection on labelled FlowBench workflow runs.")
final class WorkflowAnomalyEvalCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(
            names = "--flowbench",
            paramLabel = "DIR",
            description = "FlowBench folder (with data/); default: shared/data/flowbench")
    private Path flowbench;

    @Option(
            names = "--direction",
            paramLabel = "SIDE",
            description =
                    "Which side of its baseline a metric may alert on: above, below or both"
                            + " (default: both, as ShadowJob's anomaly.direction)")
    private String direction = "both";

    @Option(
            names = "--min-change",
            paramLabel = "FRACTION",
            description =
                    "A high score alerts only this far from the expected value, as a fraction of it"
                            + " (default: 0.2, as ShadowJob's anomaly.min-change)")
    private double minChange = ActionScorer.AlertRule.DEFAULT.minChange();

    @Option(
            names = "--development-only",
            description =
                    "Print only the development runs (compare designs on these; the held-out runs"
                            + " are not printed)")
    private boolean developmentOnly;

    @Option(
            names = "--first-view-only",
            description =
                    "Without the second (shape) view and the run rule: the detector as it was"
                            + " before them, to compare")
    private boolean firstViewOnly;

    @Override
    public Integer call() {
        if (!(minChange >= 0) || Double.isInfinite(minChange)) {
            throw new CliException("--min-change must be a number >= 0, got " + minChange);
        }
        ActionScorer.AlertRule rule;
        try {
            rule =
                    new ActionScorer.AlertRule(
                            ActionScorer.Direction.parse("--direction", direction), minChange);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        Path dir = DataDir.resolve(flowbench, "flowbench");
        List<FlowBench.Task> tasks;
        try {
            tasks = FlowBench.load(dir);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        FlowBench.Evaluation result;
        try (ProgressBar bar = ProgressBars.of("FlowBench", tasks.size(), " tasks")) {
            result =
                    FlowBench.evaluate(
                            tasks,
                            firstViewOnly
                                    ? new ActionScorer(rule, ActionScorer.firstViewOnly())
                                    : new ActionScorer(rule),
                            bar::stepBy);
        }
        PrintWriter out = spec.commandLine().getOut();
        long runs = tasks.stream().map(FlowBench.Task::runId).distinct().count();
        int held = FlowBench.heldOutRuns(tasks).size();
        out.printf(
                Locale.ROOT,
                "%d tasks in %d runs (%d held out: every second run of each folder, by name); a task"
                        + " is flagged when any metric alerts (a score >= %.2f or a sustained rise, %s"
                        + " its baseline, by at least %.0f%%)%n",
                tasks.size(),
                runs,
                held,
                ActionScorer.ALERT_THRESHOLD,
                rule.direction().name().toLowerCase(Locale.ROOT),
                100 * rule.minChange());
        out.printf(
                Locale.ROOT,
                "%ndevelopment runs (%d; designs are compared on these):%n",
                runs - held);
        print(out, result.development());
        if (!developmentOnly) {
            out.printf(Locale.ROOT, "%nheld-out runs (%d):%n", held);
            print(out, result.heldOut());
            out.printf(Locale.ROOT, "%nall runs (%d):%n", runs);
            print(out, result.all());
            last(out, "FlowBench development", result.development());
            last(out, "FlowBench held-out", result.heldOut());
            last(out, "FlowBench", result.all());
        } else {
            last(out, "FlowBench development", result.development());
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, List<FlowBench.Stats> stats) {
        out.printf(
                Locale.ROOT,
                "%-8s %9s %7s %7s %7s %9s %7s %7s%n",
                "label",
                "positives",
                "tp",
                "fp",
                "fn",
                "precision",
                "recall",
                "f1");
        for (FlowBench.Stats s : stats) {
            out.printf(
                    Locale.ROOT,
                    "%-8s %9d %7d %7d %7d %9.3f %7.3f %7.3f%n",
                    s.label(),
                    s.positives(),
                    s.tp(),
                    s.fp(),
                    s.fn(),
                    s.precision(),
                    s.recall(),
                    s.f1());
        }
    }

    private static void last(PrintWriter out, String what, List<FlowBench.Stats> stats) {
        FlowBench.Stats all = stats.get(stats.size() - 1);
        out.printf(
                Locale.ROOT,
                "%s precision=%.3f recall=%.3f f1=%.3f%n",
                what,
                all.precision(),
                all.recall(),
                all.f1());
    }
}
