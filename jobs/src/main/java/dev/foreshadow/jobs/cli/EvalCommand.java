package dev.foreshadow.jobs.cli;

import picocli.CommandLine.Command;

/**
 * {@code foreshadow eval ...}: accuracy evaluations on public datasets; each prints its figures.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  ./foreshadow eval forecast --m4 ../shared/data/m4 --quick"},
        description = "Evaluate forecasting, anomaly detection and allocation on public datasets.",
        subcommands = {
            ForecastEvalCommand.class,
            AnomalyEvalCommand.class,
            WorkflowAnomalyEvalCommand.class,
            AllocationEvalCommand.class
        })
final class EvalCommand {}
