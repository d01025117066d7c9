package dev.foreshadow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foreshadow.connectors.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foreshadow demo} end to end, as a user runs it (the embedded Kafka and PostgreSQL, both
 * jobs on Flink MiniClusters, {@code foreshadow train} in-process half-way), on one day of the
 * bundled trace: its signed campaigns are accepted, the forged and the replayed record are rejected
 * for their signature and their nonce, models are registered, and the forecasts after the training
 * point come from the registered versions.
 */
class DemoCommandITCase {

    @TempDir Path dir;

    @Test
    @Timeout(900)
    void theDemoAcceptsItsTwoCampaignsRejectsTheForgedAndReplayedOneAndForecastsWithTrainedModels()
            throws Exception {
        Path out = dir.resolve("demo");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try (PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code =
                    Foreshadow.commandLine()
                            .execute(
                                    "demo",
                                    "--exit-when-done",
                                    "--days",
                                    "1",
                                    "--speed",
                                    "3000",
                                    "--out",
                                    out.toString());
        } finally {
            System.setOut(stdout);
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());

        assertThat(summary.path("external_events_published").asLong()).as(printed).isEqualTo(4);
        assertThat(summary.path("external_events_accepted").asLong()).as(printed).isEqualTo(2);
        assertThat(summary.path("external_events_rejected").asLong()).as(printed).isEqualTo(2);
        assertThat(summary.path("models_registered").asLong()).as(printed).isPositive();
        long after = summary.path("forecasts_after_training").asLong();
        long registered = summary.path("forecasts_by_registered_models").asLong();
        assertThat(after).as(printed).isPositive();
        // every type was trained, so every forecast after the point names a registered version
        // except those made before the job's next registry poll
        assertThat(registered).as(printed).isGreaterThan(after * 9 / 10);
        assertThat(summary.path("campaign_forecast").asText()).as(printed).contains("campaign x");
        assertThat(summary.path("campaign_command").asText())
                .as(printed)
                .contains("min before it began");

        // the key was made by the demo, for its owner only, and never printed
        Path keyFile = out.resolve("run").resolve("external-events.keys");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        String secret = Files.readString(keyFile).strip().split("\\s+")[2];
        assertThat(printed).contains("training forecasting models").doesNotContain(secret);
        assertThat(Files.readString(out.resolve("report.html")))
                .contains("Commands for pool lab/blast");
    }
}
