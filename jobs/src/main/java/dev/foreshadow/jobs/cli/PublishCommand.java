package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.kafka.KafkaSettings;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.jobs.demo.Publisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foreshadow publish --bootstrap-servers HOST:PORT (--trace DIR | --file EVENTS.jsonl)
 * [--speed N]}: publishes workflow events to a deployed job's Kafka with {@link Publisher}, the
 * demo's own replay.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description =
                "Publish workflow events to Kafka: runs made from a WfCommons trace (as the demo"
                        + " replays them), or a file of JSON events, one a line.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./foreshadow publish --bootstrap-servers localhost:9092 --trace bundled --days 1 --speed 4000",
            "  ./foreshadow publish --bootstrap-servers kafka-1:9092 --file events.jsonl \\",
            "      --kafka-properties client.properties"
        })
final class PublishCommand implements Callable<Integer> {

    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:,]+:(\\d{1,5})");

    @Option(
            names = "--bootstrap-servers",
            required = true,
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (comma-separated).")
    String bootstrapServers;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(
                names = "--trace",
                paramLabel = "DIR",
                description =
                        "A folder of WfCommons (WfFormat) traces, or `bundled` for the demo's.")
        String trace;

        @Option(
                names = "--file",
                paramLabel = "EVENTS.jsonl",
                description =
                        "Workflow events as JSON, one a line, published unchanged in file order"
                                + " (keyed by runId).")
        Path file;
    }

    @Option(
            names = "--speed",
            paramLabel = "N",
            description =
                    "Event-time seconds per real second; without it, as fast as Kafka takes them.")
    Double speed;

    @Option(
            names = "--topic",
            defaultValue = Topics.WORKFLOW_EVENTS,
            description = "Topic to publish to (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(
            names = "--kafka-properties",
            paramLabel = "FILE",
            description = "Kafka client settings (TLS, SASL/SCRAM), as kafka.properties-file.")
    Path kafkaProperties;

    @Option(
            names = "--days",
            defaultValue = "1",
            description = "With --trace: days of runs to make (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(
            names = "--runs-per-hour",
            defaultValue = "4",
            description =
                    "With --trace: peak runs per hour of each workflow type (default: ${DEFAULT-VALUE}).")
    double runsPerHour;

    @Option(
            names = "--seed",
            defaultValue = "7",
            description = "With --trace: seed of the arrivals (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        for (String server : bootstrapServers.split(",")) {
            var m = HOST_PORT.matcher(server.strip());
            if (!m.matches()
                    || Integer.parseInt(m.group(1)) < 1
                    || Integer.parseInt(m.group(1)) > 65535) {
                throw new CliException(
                        "--bootstrap-servers: '" + server.strip() + "' is not HOST:PORT");
            }
        }
        if (speed != null && (!(speed > 0) || speed.isInfinite())) {
            throw new CliException("--speed must be a positive number, got " + speed);
        }
        if (days < 1 || days > 60) {
            throw new CliException("--days must be from 1 to 60, got " + days);
        }
        if (!(runsPerHour > 0) || runsPerHour > 1000) {
            throw new CliException(
                    "--runs-per-hour must be above 0 and at most 1000, got " + runsPerHour);
        }
        if (kafkaProperties != null && !Files.isRegularFile(kafkaProperties)) {
            throw new CliException("--kafka-properties " + kafkaProperties + " is not a file");
        }
        Publisher.Events records =
                input.file != null ? fromFile(input.file) : fromTrace(input.trace);
        if (records.size() == 0) {
            throw new CliException(
                    "nothing to publish: "
                            + (input.file != null
                                    ? "--file " + input.file
                                    : "--trace " + input.trace)
                            + " holds no events");
        }
        KafkaSettings kafka;
        try {
            kafka = KafkaSettings.of(bootstrapServers, kafkaProperties);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "publishing %,d events to %s at %s%s%n",
                records.size(),
                topic,
                bootstrapServers,
                speed == null
                        ? ""
                        : String.format(Locale.ROOT, ", %s event-time seconds per second", speed));
        if (records.actionEnds() >= 0) {
            out.printf(
                    Locale.ROOT,
                    "%,d of them end an action: the action_samples a job stores from them%n",
                    records.actionEnds());
        }
        out.flush();
        Publisher.Result r;
        try {
            r = Publisher.publish(kafka, topic, records, speed == null ? 0 : speed, "publishing");
        } catch (IllegalStateException e) {
            throw new CliException(
                    e.getMessage()
                            + ": check that Kafka is reachable at "
                            + bootstrapServers
                            + " and that the topic "
                            + topic
                            + " exists");
        }
        out.printf(
                Locale.ROOT,
                "published %,d events in %.1f s%s%n",
                r.published(),
                r.took().toMillis() / 1000.0,
                r.withoutTime() == 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                " (%,d without a readable time, sent unpaced: the job dead-letters them if invalid)",
                                r.withoutTime()));
        return 0;
    }

    private static Publisher.Events fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CliException("--file " + file + " is not a file");
        }
        return Publisher.jsonLines(file);
    }

    private Publisher.Events fromTrace(String trace) throws IOException {
        Path dir = null;
        if (!trace.equals("bundled")) {
            dir = Path.of(trace);
            if (!Files.isDirectory(dir)) {
                throw new CliException("--trace " + trace + " is not a directory (or `bundled`)");
            }
        }
        try {
            return Publisher.trace(dir, days, runsPerHour, seed);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
