package dev.foreshadow.jobs.cli;

import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code foreshadow shadow --config FILE} (alias {@code run}): applies the migrations, then runs
 * ShadowJob. Under {@code flink run} it is submitted to the cluster; in a plain JVM ({@code
 * ./foreshadow run}) it runs in a local MiniCluster against the configured Kafka and
 * PostgreSQL/TimescaleDB.
 */
@Command(
        name = "shadow",
        aliases = "run",
        subcommands = AllocateCommand.class, // `run allocate`: AllocationJob
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./foreshadow run --config shadow.properties -D kafka.group-id=local",
            "  flink run jobs/target/foreshadow-jobs-0.1.0-SNAPSHOT-flink.jar shadow --config shadow.properties"
        },
        description =
                "Run ShadowJob (on the Flink cluster under `flink run`, else in a local MiniCluster).")
final class ShadowCommand implements Callable<Integer> {

    @Mixin JobLaunch launch;

    @Option(
            names = "--run-dir",
            paramLabel = "DIR",
            defaultValue = "target/foreshadow-run",
            description = "Folder for the local MiniCluster's files (default: ${DEFAULT-VALUE}).")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        launch.run(
                runDir,
                ShadowSettings::load,
                ShadowSettings::from,
                settings -> ShadowJob.of(settings)::build,
                ShadowJob.NAME);
        return 0;
    }
}
