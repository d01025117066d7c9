package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.history.HistoryOptions;
import dev.foreshadow.jobs.common.LocalFlink;
import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
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
            defaultValue = "target/foreshadow-run",
            description = "Folder for the local MiniCluster's files (default: ${DEFAULT-VALUE}).")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        if (config != null && !config.toFile().isFile()) {
            throw new CliException("--config " + config + " is not a file");
        }
        Configuration conf;
        ShadowSettings settings;
        try {
            conf = ShadowSettings.load(config, overrides);
            settings = ShadowSettings.from(conf);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        HistoryDatabase.migrate(HistoryOptions.migrator(conf));
        StreamExecutionEnvironment env = LocalFlink.environment(runDir, 2, Map.of());
        ShadowJob.of(settings).build(env);
        env.execute(ShadowJob.NAME);
        return 0;
    }
}
