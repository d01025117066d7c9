package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.history.HistoryOptions;
import dev.foreshadow.jobs.allocation.AllocationJob;
import dev.foreshadow.jobs.allocation.AllocationSettings;
import dev.foreshadow.jobs.common.LocalFlink;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
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

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Settings file of flat `key: value` lines.")
    Path config;

    @Option(
            names = "-D",
            paramLabel = "KEY=VALUE",
            description = "Override one setting (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--run-dir",
            paramLabel = "DIR",
            defaultValue = "target/foreshadow-allocate",
            description = "Folder for the local MiniCluster's files (default: ${DEFAULT-VALUE}).")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        if (config != null && !config.toFile().isFile()) {
            throw new CliException("--config " + config + " is not a file");
        }
        Configuration conf;
        AllocationSettings settings;
        try {
            conf = AllocationSettings.load(config, overrides);
            settings = AllocationSettings.from(conf);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        HistoryDatabase.migrate(HistoryOptions.migrator(conf));
        StreamExecutionEnvironment env = LocalFlink.environment(runDir, 2, Map.of());
        AllocationJob.of(settings).build(env);
        env.execute(AllocationJob.NAME);
        return 0;
    }
}
