package dev.foreshadow.jobs.cli;

import dev.foreshadow.jobs.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code foreshadow demo}: parses the demo's flags and runs {@link Demo}. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./foreshadow demo --exit-when-done",
            "  ./foreshadow demo --days 1 --speed 4000 --trace ../shared/data/wfcommons/pegasus"
        },
        description =
                "Replay a real workflow trace through the embedded stack and ShadowJob, then summarise.")
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
                                    out),
                            System.out);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        demo.run();
        return 0;
    }
}
