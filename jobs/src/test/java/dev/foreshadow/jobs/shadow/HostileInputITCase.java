package dev.foreshadow.jobs.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.json.HostileInput;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.jobs.StackReads;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input and secrets through the real ShadowJob (MiniCluster, KRaft broker, PostgreSQL, the
 * job logged in as {@code foreshadow_writer}): 100,000 generated bad records of every class {@link
 * HostileInput} makes, mixed with valid events. The job never fails over, every bad record is one
 * dead letter whose reason names its field, every valid event is stored; and the database password
 * (in a file, and inside the JDBC URL) shows neither in the job's configuration that Flink's REST
 * API serves, nor in its exceptions, nor in the log, which keeps no email address of an event
 * either.
 */
class HostileInputITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final int BAD = 100_000;
    private static final String FILE_SECRET = "file-secret-5e1f0c";
    private static final String URL_SECRET = "url-secret-a8d372";
    private static final String PERSON = "bob.jones@example.com";

    /** A reason names its field: a path, a colon, the problem. */
    private static final String NAMES_A_FIELD = "^[A-Za-z_][\\w.\\[\\]-]*: .+";

    @TempDir static Path runDir;
    private static EmbeddedStack stack;
    private static final StringWriter LOG = new StringWriter();

    @BeforeAll
    static void startStack() throws Exception {
        captureLog();
        stack = EmbeddedStack.start(runDir.resolve("stack"));
        stack.createTopics(Topics.ALL, 2);
        try (Connection c = stack.postgres().connect()) {
            Migrations.apply(c);
        }
        stack.createJobLogins();
    }

    @AfterAll
    static void stopStack() throws Exception {
        stack.close();
    }

    @Test
    @Timeout(900)
    void everyBadRecordIsADeadLetterNamingItsFieldEveryValidOneIsStoredAndNoSecretShows(
            @InjectClusterClient RestClusterClient<?> rest) throws Exception {
        List<HostileInput.Case> cases =
                new ArrayList<>(new HostileInput(20261202, Instant.now(), "it").cases(BAD, false));
        cases.addAll(withPersonalData(cases));
        Map<String, HostileInput.Case> bySource = publish(cases);
        Set<String> valid = new HashSet<>();
        cases.stream().filter(HostileInput.Case::valid).forEach(c -> valid.add(c.eventId()));

        Path passwordFile = Files.writeString(runDir.resolve("db-password"), FILE_SECRET + "\n");
        ShadowSettings settings =
                ShadowSettings.from(
                        ShadowSettings.load(
                                null,
                                Map.of(
                                        "kafka.bootstrap-servers",
                                        stack.kafkaBootstrapServers(),
                                        "history.jdbc-url",
                                        stack.jdbcUrl() + "?password=" + URL_SECRET,
                                        "history.user",
                                        EmbeddedStack.SHADOW_LOGIN,
                                        "history.password-file",
                                        passwordFile.toString(),
                                        "history.flush-interval",
                                        "200 ms",
                                        // the valid events span 50 minutes in random order: none
                                        // is late, so every dead letter is a bad record's
                                        "watermark.out-of-orderness",
                                        "2 h")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        ShadowJob.of(settings).build(env);
        JobClient job = env.executeAsync(ShadowJob.NAME);
        try {
            List<DeadLetter> deadLetters =
                    StackReads.deadLetters(stack, BAD, Duration.ofSeconds(600));
            assertThat(deadLetters).as("one dead letter per bad record").hasSize(BAD + 1);
            assertThat(deadLetters)
                    .as("no dead letter keeps an email address")
                    .noneMatch(d -> new String(Json.bytes(d)).contains(PERSON));
            List<String> wrong = new ArrayList<>();
            for (DeadLetter d : deadLetters) {
                HostileInput.Case c = bySource.get(d.source());
                if (c == null || c.valid()) {
                    wrong.add(d.source() + " is not a bad record: " + d.reason());
                } else if (!d.reason().matches(NAMES_A_FIELD)
                        || !d.reason().startsWith(c.field() + ": ")) {
                    wrong.add(c.kind() + ": '" + d.reason() + "' does not name " + c.field());
                }
            }
            assertThat(wrong).isEmpty();

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Set<String> stored = storedEventIds();
            while (!stored.containsAll(valid) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                stored = storedEventIds();
            }
            assertThat(stored).as("every valid event stored, nothing else").isEqualTo(valid);
            try (Connection c = stack.postgres().connect();
                    Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT count(*) FROM action_samples WHERE attributes::text"
                                            + " LIKE '%"
                                            + PERSON
                                            + "%'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("no stored attribute keeps an email address").isZero();
            }

            String base = rest.getWebInterfaceURL();
            String exceptions = get(base + "/jobs/" + job.getJobID() + "/exceptions");
            assertThat(exceptions)
                    .as("the job never failed over")
                    .contains("\"exceptionHistory\":{\"entries\":[]");
            for (String path :
                    List.of(
                            "/jobs/" + job.getJobID() + "/config",
                            "/jobs/" + job.getJobID(),
                            "/jobs/" + job.getJobID() + "/plan",
                            "/jobmanager/config")) {
                assertThat(get(base + path))
                        .as(path)
                        .doesNotContain(FILE_SECRET)
                        .doesNotContain(URL_SECRET);
            }
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
        } finally {
            job.cancel().get();
        }
        assertThat(LOG.toString())
                .as("the log")
                .isNotEmpty()
                .doesNotContain(FILE_SECRET)
                .doesNotContain(URL_SECRET)
                .as("the log keeps no email address of an event")
                .doesNotContain(PERSON);
    }

    /**
     * A valid event and a truncated one, both made from the first valid case, carrying an email
     * address under a personal-data name and inside a free-text note.
     */
    private static List<HostileInput.Case> withPersonalData(List<HostileInput.Case> cases) {
        HostileInput.Case v =
                cases.stream().filter(c -> c.kind().equals("valid")).findFirst().orElseThrow();
        String text =
                new String(v.bytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace(v.eventId(), v.eventId() + "-pii")
                        .replace(
                                "\"note\":\"fine\"",
                                "\"note\":\"mail " + PERSON + "\",\"email\":\"" + PERSON + "\"");
        assertThat(text).contains(PERSON);
        return List.of(
                new HostileInput.Case(
                        "valid, personal data",
                        text.getBytes(),
                        null,
                        v.eventId() + "-pii",
                        v.tenant()),
                new HostileInput.Case(
                        "truncated, personal data",
                        text.substring(0, text.length() - 3).getBytes(),
                        "event",
                        null,
                        null));
    }

    /**
     * Everything foreshadow logs (INFO and up) and every warning of anything else, into {@link
     * #LOG}.
     */
    private static void captureLog() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        var config = ctx.getConfiguration();
        WriterAppender appender =
                WriterAppender.newBuilder()
                        .setName("secrets-capture")
                        .setTarget(LOG)
                        .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m %ex%n").build())
                        .build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, Level.WARN, null);
        LoggerConfig ours = new LoggerConfig("dev.foreshadow", Level.INFO, true);
        ours.addAppender(appender, Level.INFO, null);
        config.addLogger("dev.foreshadow", ours);
        ctx.updateLoggers();
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    /** Publishes every case; returns them by the source a dead letter names (topic/p@offset). */
    private static Map<String, HostileInput.Case> publish(List<HostileInput.Case> cases)
            throws Exception {
        Properties p = stack.kafka().clientProperties();
        Map<String, HostileInput.Case> bySource = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            for (HostileInput.Case c : cases) {
                sent.add(producer.send(new ProducerRecord<>(Topics.WORKFLOW_EVENTS, c.bytes())));
            }
            for (int i = 0; i < cases.size(); i++) {
                RecordMetadata m = sent.get(i).get();
                bySource.put(m.topic() + "/" + m.partition() + "@" + m.offset(), cases.get(i));
            }
        }
        return bySource;
    }

    private static Set<String> storedEventIds() throws Exception {
        try (Connection c = stack.postgres().connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT event_id FROM action_samples")) {
            Set<String> out = new HashSet<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
