package dev.foreshadow.connectors.embedded;

import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.history.PostgresSettings;
import dev.foreshadow.connectors.kafka.KafkaSettings;
import dev.foreshadow.connectors.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack of the demo and of the integration tests: a real Kafka broker in KRaft mode (one
 * combined broker/controller) and a real PostgreSQL server, both in this process on free loopback
 * ports, with all their files under {@code runDir}. {@link #close()} stops both and leaves nothing
 * outside {@code runDir}.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    private final KafkaClusterTestKit kafka;
    private final EmbeddedDatabase postgres;
    private final Path runDir;

    private EmbeddedStack(KafkaClusterTestKit kafka, EmbeddedDatabase postgres, Path runDir) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.runDir = runDir;
    }

    /** Starts Kafka and PostgreSQL with their files under {@code runDir} (created if needed). */
    public static EmbeddedStack start(Path runDir) throws Exception {
        return start(runDir, 0);
    }

    /**
     * As {@link #start(Path)}, with the broker telling its clients to reach it at {@code
     * 127.0.0.1:advertisedPort} (a proxy in front of it, which a test can cut to take the broker
     * away from every client at once), or at its own port when 0.
     */
    public static EmbeddedStack start(Path runDir, int advertisedPort) throws Exception {
        Path dir = Files.createDirectories(runDir).toAbsolutePath();
        KafkaClusterTestKit kafka =
                startKafka(Files.createDirectories(dir.resolve("kafka")), advertisedPort);
        try {
            EmbeddedDatabase postgres = EmbeddedDatabase.start(dir);
            LOG.info(
                    "embedded stack up: kafka {} postgres {}",
                    kafka.bootstrapServers(),
                    postgres.jdbcUrl());
            return new EmbeddedStack(kafka, postgres, dir);
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
    }

    private static KafkaClusterTestKit startKafka(Path dir, int advertisedPort) throws Exception {
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBaseDirectory(dir)
                        .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        // one broker: internal topics must not ask for more replicas, or consumer groups and
        // transactions hang
        Map.of(
                        "offsets.topic.replication.factor", "1",
                        "offsets.topic.num.partitions", "4",
                        "transaction.state.log.replication.factor", "1",
                        "transaction.state.log.min.isr", "1",
                        "transaction.state.log.num.partitions", "4",
                        "group.initial.rebalance.delay.ms", "0",
                        "num.partitions", "2",
                        "auto.create.topics.enable", "false")
                .forEach(builder::setConfigProp);
        if (advertisedPort > 0) {
            builder.setConfigProp(
                    "advertised.listeners",
                    nodes.brokerListenerName().value() + "://127.0.0.1:" + advertisedPort);
        }
        KafkaClusterTestKit cluster = builder.setDeleteOnClose(true).build();
        try {
            // the storage formatter prints to standard output: keep it off the demo's console
            java.io.PrintStream stdout = System.out;
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            try {
                cluster.format();
            } finally {
                System.setOut(stdout);
            }
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public KafkaSettings kafka() {
        return new KafkaSettings(kafka.bootstrapServers(), Map.of());
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The history database as its superuser ({@code postgres}, no password: loopback only). */
    public PostgresSettings postgres() {
        return postgres.settings();
    }

    /** The history database as login {@code name}, a member of {@code role} only. */
    public PostgresSettings login(String name, String role) throws java.sql.SQLException {
        return postgres.login(name, role);
    }

    /** The login ShadowJob runs as in the demo and the integration tests. */
    public static final String SHADOW_LOGIN = "shadow_job";

    /** The login AllocationJob runs as in the demo and the integration tests. */
    public static final String ALLOCATION_LOGIN = "allocation_job";

    /**
     * Creates the jobs' logins ({@link #SHADOW_LOGIN} as {@code foreshadow_writer}, {@link
     * #ALLOCATION_LOGIN} as {@code foreshadow_allocator}); call after the migrations.
     */
    public void createJobLogins() throws java.sql.SQLException {
        postgres.login(SHADOW_LOGIN, "foreshadow_writer");
        postgres.login(ALLOCATION_LOGIN, "foreshadow_allocator");
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    public Path runDir() {
        return runDir;
    }

    /**
     * Makes the stack ready for the jobs: every topic of {@link Topics#ALL} with {@code partitions}
     * partitions, and the history schema migrated.
     */
    public void prepareForJobs(int partitions) throws Exception {
        createTopics(Topics.ALL, partitions);
        try (Connection c = postgres().connect()) {
            Migrations.apply(c);
        }
    }

    /**
     * The job settings that point a job at this stack (Kafka, the history database and its user),
     * in the order a settings file lists them.
     */
    public Map<String, String> jobSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("kafka.bootstrap-servers", kafkaBootstrapServers());
        s.put("history.jdbc-url", jdbcUrl());
        s.put("history.user", "postgres");
        return s;
    }

    /**
     * Creates topics (ignoring those that exist) with {@code partitions} partitions each and the
     * settings {@link Topics#config} gives them.
     */
    public void createTopics(Collection<String> topics, int partitions)
            throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(kafka().clientProperties())) {
            for (String topic : topics) {
                try {
                    admin.createTopics(
                                    java.util.List.of(
                                            new NewTopic(topic, partitions, (short) 1)
                                                    .configs(Topics.config(topic))))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new ExecutionException("creating topic " + topic + " timed out", e);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        try {
            postgres.close();
        } catch (Exception e) {
            failure = e;
        }
        try {
            kafka.close();
        } catch (Exception e) {
            if (failure != null) {
                e.addSuppressed(failure);
            }
            failure = e;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
