package dev.foreshadow.jobs.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.kafka.KafkaOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flink-conf/ is read by Flink's own parser the way a cluster reads it, and the compose stack and
 * job settings agree.
 */
class ClusterFilesTest {

    private static final Path FLINK_CONF = Path.of("..", "flink-conf");

    @Test
    void theClusterConfigurationSetsRocksDbExactlyOnceCheckpointsRestartsAndPrometheus() {
        Configuration c =
                GlobalConfiguration.loadConfiguration(FLINK_CONF.toAbsolutePath().toString());

        assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(c.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE).name())
                .isEqualTo("EXACTLY_ONCE");
        assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(c.toMap())
                .containsEntry(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(c.toMap()).containsKey("taskmanager.memory.task.off-heap.size");
    }

    @Test
    void theComposeStacksJobSettingsAreValidSettings(@TempDir Path dir) throws Exception {
        // the compose stack mounts the password at /run/secrets/db_password; here a file of our own
        // stands in
        Path secret = Files.writeString(dir.resolve("db_password"), "not-a-real-password");
        Configuration c =
                ShadowSettings.load(
                        FLINK_CONF.resolve("shadow.properties"),
                        Map.of("history.password-file", secret.toString()));

        assertThat(c.get(KafkaOptions.KAFKA_BOOTSTRAP_SERVERS)).isEqualTo("kafka:9092");
        String compose = Files.readString(Path.of("..", "docker-compose.yml"));
        assertThat(compose)
                .contains(
                        "./flink-conf/config.yaml:/opt/flink/conf/config.yaml",
                        "foreshadow-jobs-0.1.0-SNAPSHOT-flink.jar",
                        "shadow --config /opt/foreshadow/shadow.properties",
                        "KAFKA_PROCESS_ROLES: broker,controller",
                        "timescale/timescaledb");
    }
}
