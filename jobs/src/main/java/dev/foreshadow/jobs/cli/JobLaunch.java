package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.history.HistoryOptions;
import dev.foreshadow.jobs.common.LocalFlink;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Option;

/**
 * What the commands that run a job ({@code shadow}, {@code allocate}) share, as a picocli mixin:
 * the settings file and its {@code -D} overrides, then the migrations of the history the settings
 * name, then the job on Flink (the cluster under {@code flink run}, else a local MiniCluster). A
 * settings error is a one-line {@link CliException}.
 */
final class JobLaunch {

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

    /**
     * Loads the settings with the job's {@code load} and {@code from}, migrates the history, builds
     * the job with {@code build} and runs it as {@code name} until it ends.
     */
    <S> void run(
            Path runDir,
            BiFunction<Path, Map<String, String>, Configuration> load,
            Function<Configuration, S> from,
            Function<S, Consumer<StreamExecutionEnvironment>> build,
            String name)
            throws Exception {
        if (config != null && !config.toFile().isFile()) {
            throw new CliException("--config " + config + " is not a file");
        }
        Configuration conf;
        S settings;
        try {
            conf = load.apply(config, overrides);
            settings = from.apply(conf);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        HistoryDatabase.migrate(HistoryOptions.migrator(conf));
        StreamExecutionEnvironment env = LocalFlink.environment(runDir, 2, Map.of());
        build.apply(settings).accept(env);
        env.execute(name);
    }
}
