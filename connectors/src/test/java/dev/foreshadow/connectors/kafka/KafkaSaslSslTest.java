package dev.foreshadow.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.tls.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka over SASL_SSL with SCRAM-SHA-256, configured only through {@code kafka.properties-file}: a
 * real KRaft broker whose only client listener is SASL_SSL (a generated certificate for localhost,
 * the SCRAM credential in its bootstrap metadata), reached with the settings the jobs use.
 */
@Timeout(120)
class KafkaSaslSslTest {

    private static final String USER = "foreshadow";
    private static final String PASSWORD = "scram-pw-41d9";

    @TempDir static Path dir;
    private static KafkaRaftServer kafka;
    private static String bootstrapServers;
    private static TestCertificates certs;

    @BeforeAll
    static void startBrokerThatSpeaksOnlySaslSsl() throws Exception {
        certs = TestCertificates.generate(dir.resolve("tls"), "broker");
        String logDir = Files.createDirectories(dir.resolve("kafka")).toString();
        int port = freePort();
        int controllerPort = freePort();
        bootstrapServers = "127.0.0.1:" + port;
        // the SCRAM credential goes into the bootstrap metadata, as kafka-storage format
        // --add-scram
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .addDirectory(logDir)
                .setMetadataLogDirectory(logDir)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName("CONTROLLER")
                .setScramArguments(
                        List.of("SCRAM-SHA-256=[name=" + USER + ",password=" + PASSWORD + "]"))
                .run();
        Map<String, String> config =
                Map.ofEntries(
                        Map.entry("process.roles", "broker,controller"),
                        Map.entry("node.id", "1"),
                        Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                        Map.entry(
                                "listeners",
                                "SASL_SSL://127.0.0.1:"
                                        + port
                                        + ",CONTROLLER://127.0.0.1:"
                                        + controllerPort),
                        Map.entry("advertised.listeners", "SASL_SSL://127.0.0.1:" + port),
                        Map.entry(
                                "listener.security.protocol.map",
                                "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT"),
                        Map.entry("controller.listener.names", "CONTROLLER"),
                        Map.entry("inter.broker.listener.name", "SASL_SSL"),
                        Map.entry("log.dirs", logDir),
                        Map.entry("offsets.topic.replication.factor", "1"),
                        Map.entry("offsets.topic.num.partitions", "1"),
                        Map.entry("transaction.state.log.replication.factor", "1"),
                        Map.entry("transaction.state.log.min.isr", "1"),
                        Map.entry("group.initial.rebalance.delay.ms", "0"),
                        Map.entry("sasl.enabled.mechanisms", "SCRAM-SHA-256"),
                        Map.entry("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-256"),
                        Map.entry(
                                "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config",
                                jaas(USER, PASSWORD)),
                        Map.entry("ssl.keystore.type", "PKCS12"),
                        Map.entry("ssl.keystore.location", certs.keyStore.toString()),
                        Map.entry("ssl.keystore.password", TestCertificates.STORE_PASSWORD),
                        Map.entry("ssl.key.password", TestCertificates.STORE_PASSWORD),
                        Map.entry("ssl.truststore.type", "PEM"),
                        Map.entry("ssl.truststore.location", certs.certificatePem.toString()));
        kafka = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
        kafka.startup();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.shutdown();
            kafka.awaitShutdown();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void theJobsKafkaSettingsProduceAndConsumeOverSaslSslWithScram() throws Exception {
        KafkaSettings settings = settingsWithPassword(PASSWORD);
        try (Admin admin = Admin.create(settings.clientProperties())) {
            admin.createTopics(List.of(new NewTopic("workflow-events", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        settings.clientProperties(),
                        new StringSerializer(),
                        new StringSerializer())) {
            producer.send(new ProducerRecord<>("workflow-events", "k", "{\"ok\":true}"))
                    .get(60, TimeUnit.SECONDS);
        }
        Properties consumerProps = settings.clientProperties();
        consumerProps.put("group.id", "tls-test");
        consumerProps.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("workflow-events"));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(500));
                polled.forEach(r -> values.add(r.value()));
            }
            assertThat(values).containsExactly("{\"ok\":true}");
        }
    }

    @Test
    void aWrongScramPasswordIsRefusedWithoutBeingShown() throws Exception {
        KafkaSettings settings = settingsWithPassword("not-the-password-93ab");
        Properties p = settings.clientProperties();
        p.put("default.api.timeout.ms", "15000");
        p.put("request.timeout.ms", "10000");
        try (Admin admin = Admin.create(p)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .hasStackTraceContaining("Authentication failed")
                    .hasMessageNotContaining("not-the-password-93ab");
        }
    }

    /** The settings the jobs build from {@code kafka.*}, the secret in the properties file. */
    private static KafkaSettings settingsWithPassword(String password) throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("client-" + password.hashCode() + ".properties"),
                        "security.protocol=SASL_SSL\n"
                                + "sasl.mechanism=SCRAM-SHA-256\n"
                                + "sasl.jaas.config="
                                + jaas(USER, password).replace("\"", "\\\"")
                                + "\n"
                                + "ssl.truststore.type=PEM\n"
                                + "ssl.truststore.location="
                                + certs.certificatePem
                                + "\n",
                        StandardCharsets.UTF_8);
        return KafkaOptions.settings(
                Configuration.fromMap(
                        Map.of(
                                "kafka.bootstrap-servers",
                                bootstrapServers,
                                "kafka.properties-file",
                                file.toString())));
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";";
    }
}
