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
 * the shadow job) and prints precision, recall and F1 per anomaly label and overall; the last line
 * is {@code FlowBench precision=P recall=R f1=F}.
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
        List<FlowBench.Stats> stats;
        try (ProgressBar bar = ProgressBars.of("FlowBench", tasks.size(), " tasks")) {
            stats = FlowBench.evaluate(tasks, rule, bar::stepBy);
        }
        PrintWriter out = spec.commandLine().getOut();
        long runs = tasks.stream().map(FlowBench.Task::runId).distinct().count();
        out.printf(
                Locale.ROOT,
                "%d tasks in %d runs; a task is flagged when any metric scores >= %.2f (%s its"
                        + " baseline, by at least %.0f%%)%n",
                tasks.size(),
                runs,
                ActionScorer.ALERT_THRESHOLD,
                rule.direction().name().toLowerCase(Locale.ROOT),
                100 * rule.minChange());
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
        FlowBench.Stats all = stats.get(stats.size() - 1);
        out.printf(
                Locale.ROOT,
                "FlowBench precision=%.3f recall=%.3f f1=%.3f%n",
                all.precision(),
                all.recall(),
                all.f1());
        out.flush();
        return 0;
    }
}
