package dev.foreshadow.jobs.cli;

import dev.foreshadow.jobs.allocation.AllocationJob;
import dev.foreshadow.jobs.allocation.AllocationSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code foreshadow allocate --config FILE} (also {@code foreshadow run allocate}): applies the
 * migrations, then runs AllocationJob, on the Flink cluster under {@code flink run}, else in a
 * local MiniCluster against the configured Kafka, PostgreSQL/TimescaleDB and pools.
 */
@Command(
        name = "allocate",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./foreshadow allocate --config flink-conf/allocation.properties",
            "  flink run jobs/target/foreshadow-jobs-0.1.0-SNAPSHOT-flink.jar allocate --config allocation.properties"
        },
        description =
                "Run AllocationJob (on the Flink cluster under `flink run`, else in a local MiniCluster).")
final class AllocateCommand implements Callable<Integer> {

    @Mixin JobLaunch launch;

    @Option(
            names = "--run-dir",
            paramLabel = "DIR",
            defaultValue = "target/foreshadow-allocate",
            description = "Folder for the local MiniCluster's files (default: ${DEFAULT-VALUE}).")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        launch.run(
                runDir,
                AllocationSettings::load,
                AllocationSettings::from,
                settings -> AllocationJob.of(settings)::build,
                AllocationJob.NAME);
        return 0;
    }
}
