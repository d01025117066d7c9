package dev.foreshadow.jobs.cli;

import dev.foreshadow.jobs.common.LocalFlink;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code foreshadow} command line: one entry point for the demo, the jobs (locally or on a
 * cluster), benchmarks, evaluations, training and signing external events. Every rejected input
 * ends with a one-line error naming what was wrong and exit code 2.
 */
@Command(
        name = "foreshadow",
        mixinStandardHelpOptions = true,
        version = "foreshadow 0.1.0",
        description =
                "A Flink shadow of a workflow engine: history, anomalies, forecasts, allocation.",
        subcommands = {
            ShadowCommand.class,
            AllocateCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            EvalCommand.class,
            TrainCommand.class,
            SignCommand.class
        })
public final class Foreshadow {

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (LocalFlink.underFlinkClient()) {
            // inside `flink run`, or inside the JobManager (REST submission, application mode):
            // System.exit would end that JVM, a JobManager with every job of the cluster; a
            // failure is reported as an exception instead
            if (code != 0) {
                throw new IllegalStateException(
                        "foreshadow " + String.join(" ", args) + ": exit code " + code);
            }
            return;
        }
        System.exit(code);
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Foreshadow());
        cli.setParameterExceptionHandler(
                (ex, argv) -> {
                    ex.getCommandLine().getErr().println("foreshadow: " + ex.getMessage());
                    return 2;
                });
        cli.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    if (ex instanceof CliException) {
                        commandLine.getErr().println("foreshadow: " + ex.getMessage());
                        return 2;
                    }
                    throw ex;
                });
        return cli;
    }
}
