package dev.foreshadow.jobs.cli;

import dev.foreshadow.jobs.common.LocalFlink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
        footerHeading = "%nExamples:%n",
        footer = {"  ./foreshadow demo", "  ./foreshadow <command> --help"},
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
            SignCommand.class,
            PublishCommand.class,
            StackCommand.class,
            ReportCommand.class
        })
public final class Foreshadow {

    private static final Logger LOG = LoggerFactory.getLogger(Foreshadow.class);

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
                    CommandLine c = ex.getCommandLine();
                    c.getErr().println("foreshadow: " + parameterError(ex.getMessage(), c));
                    return 2;
                });
        cli.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    if (ex instanceof CliException) {
                        commandLine.getErr().println("foreshadow: " + ex.getMessage());
                        return 2;
                    }
                    // anything else is not the user's input: one line here, the stack trace in the
                    // log
                    LOG.warn("{} failed", commandLine.getCommandName(), ex);
                    commandLine
                            .getErr()
                            .println(
                                    "foreshadow: "
                                            + commandLine.getCommandName()
                                            + " failed: "
                                            + firstLine(ex)
                                            + " (details in "
                                            + System.getProperty("foreshadow.log", "the log")
                                            + ")");
                    return 1;
                });
        return cli;
    }

    /** picocli's message without its "Error: " prefix, and where to read what is expected. */
    static String parameterError(String message, CommandLine command) {
        String m = message.startsWith("Error: ") ? message.substring(7) : message;
        return m + " (see " + command.getCommandSpec().qualifiedName() + " --help)";
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
