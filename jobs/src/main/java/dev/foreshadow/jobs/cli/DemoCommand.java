package dev.foreshadow.jobs.cli;

import dev.foreshadow.jobs.demo.Demo;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code foreshadow demo}: parses the demo's flags and runs {@link Demo}, which trains its models
 * half-way by running {@code foreshadow train} in this process ({@link #train}).
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./foreshadow demo --exit-when-done",
            "  ./foreshadow demo --days 1 --speed 4000 --trace ../shared/data/wfcommons/pegasus"
        },
        description =
                "Replay a real workflow trace, with signed campaign events and models trained half-way,"
                        + " through the embedded stack, ShadowJob and AllocationJob, then summarise.")
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--speed",
            defaultValue = "2000",
            description = "Simulated seconds per real second (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(
            names = "--days",
            defaultValue = "2",
            description = "Days of workflow history to simulate (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(
            names = "--runs-per-hour",
            defaultValue = "4",
            description = "Peak runs per hour of each workflow type (default: ${DEFAULT-VALUE}).")
    double runsPerHour;

    @Option(
            names = "--trace",
            paramLabel = "DIR",
            description = "A folder of WfCommons (WfFormat) traces instead of the bundled one.")
    Path trace;

    @Option(
            names = "--seed",
            defaultValue = "7",
            description = "Seed of the simulated arrivals (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--exit-when-done",
            description = "Exit after the summary instead of keeping the SQL endpoint up.")
    boolean exitWhenDone;

    @Option(
            names = "--keep-running",
            description =
                    "After the replay, keep ShadowJob running on the embedded Kafka until Ctrl-C.")
    boolean keepRunning;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "target/demo",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Demo demo;
        try {
            demo =
                    new Demo(
                            new Demo.Options(
                                    speed,
                                    days,
                                    runsPerHour,
                                    trace,
                                    seed,
                                    exitWhenDone,
                                    keepRunning,
                                    out,
                                    DemoCommand::train),
                            System.out);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        demo.run();
        return 0;
    }

    /**
     * {@code foreshadow train} on the demo's history: the job's bucket as the step (the registry's
     * versions are used only when they match it), the job's horizon, the default season search and
     * backtest folds; its table goes to {@code console}.
     */
    static boolean train(
            String jdbcUrl,
            String user,
            Instant until,
            Duration step,
            int horizon,
            PrintStream console) {
        PrintWriter out = new PrintWriter(console, true);
        CommandLine cli = Foreshadow.commandLine();
        cli.setOut(out);
        cli.setErr(out);
        int code =
                cli.execute(
                        "train",
                        "--jdbc",
                        jdbcUrl,
                        "--db-user",
                        user,
                        "--until",
                        until.toString(),
                        "--step-minutes",
                        Long.toString(step.toMinutes()),
                        "--horizon",
                        Integer.toString(horizon));
        out.flush();
        return code == 0;
    }
}
