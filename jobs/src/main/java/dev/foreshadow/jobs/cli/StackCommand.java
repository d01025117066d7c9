package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foreshadow stack --run-dir DIR}: the embedded stack on its own (a Kafka broker in KRaft
 * mode with every topic, PostgreSQL with the history schema), for a Flink cluster, {@code publish},
 * {@code report} or your own tools. Prints the endpoints as job settings, writes them to {@code
 * DIR/stack.properties} (a settings file for {@code shadow --config}) and stays up until it is
 * stopped (Ctrl-C or SIGTERM), which stops both and deletes their data.
 */
@Command(
        name = "stack",
        mixinStandardHelpOptions = true,
        description =
                "Run Kafka (KRaft) and PostgreSQL on this machine until stopped; prints their endpoints.",
        footerHeading = "%nExample:%n",
        footer = {
            "  ./foreshadow stack --run-dir target/stack &",
            "  ./foreshadow run --config target/stack/stack.properties"
        })
final class StackCommand implements Callable<Integer> {

    /** The settings file written beside the stack's data once it is up. */
    static final String SETTINGS_FILE = "stack.properties";

    @Option(
            names = "--run-dir",
            paramLabel = "DIR",
            defaultValue = "target/stack",
            description =
                    "Folder of the broker's and the database's files (default: ${DEFAULT-VALUE}).")
    Path runDir;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description = "Partitions of each topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (partitions < 1 || partitions > 64) {
            throw new CliException("--partitions must be from 1 to 64, got " + partitions);
        }
        if (Files.exists(runDir) && !Files.isDirectory(runDir)) {
            throw new CliException("--run-dir " + runDir + " is not a directory");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path settingsFile = runDir.toAbsolutePath().resolve(SETTINGS_FILE);
        Files.deleteIfExists(settingsFile);
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedStack stack = EmbeddedStack.start(runDir);
        Thread hook =
                new Thread(
                        () -> {
                            try {
                                Files.deleteIfExists(settingsFile);
                                stack.close();
                            } catch (Exception e) {
                                System.err.println(
                                        "foreshadow stack: stopping failed: " + e.getMessage());
                            }
                            stopped.countDown();
                        },
                        "stack-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stack.prepareForJobs(partitions);
        } catch (Exception e) {
            throw new CliException(
                    "the stack started but could not be prepared: " + e.getMessage());
        }
        StringBuilder settings = new StringBuilder("# written by ./foreshadow stack\n");
        stack.jobSettings()
                .forEach((k, v) -> settings.append(k).append(": ").append(v).append('\n'));
        // written last, in one move: a script that waits for the file finds the stack ready
        Path partial =
                Files.writeString(settingsFile.resolveSibling(SETTINGS_FILE + ".tmp"), settings);
        Files.move(partial, settingsFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        out.print(settings.substring(settings.indexOf("\n") + 1));
        out.println("psql: psql '" + stack.jdbcUrl().replace("jdbc:", "") + "?user=postgres'");
        out.println("settings: " + settingsFile + " (for shadow --config, publish, report)");
        out.println("stack up; Ctrl-C stops it");
        out.flush();
        stopped.await();
        return 0;
    }
}
