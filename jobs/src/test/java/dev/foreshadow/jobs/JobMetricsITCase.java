package dev.foreshadow.jobs;

import static dev.foreshadow.jobs.Fixtures.AN_HOUR_AGO;
import static dev.foreshadow.jobs.Fixtures.CHARGE_CARD_METRICS;
import static dev.foreshadow.jobs.Fixtures.actionFailed;
import static dev.foreshadow.jobs.Fixtures.actionFinished;
import static dev.foreshadow.jobs.Fixtures.actionStarted;
import static dev.foreshadow.jobs.Fixtures.runFinished;
import static dev.foreshadow.jobs.Fixtures.runStarted;
import static dev.foreshadow.jobs.Fixtures.withIdAndAttempt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.allocation.AllocationOptions;
import dev.foreshadow.jobs.allocation.SimulatedAllocation;
import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs' metrics ({@code JobMetrics}) through the Prometheus reporter that {@code
 * flink-conf/config.yaml} configures, scraped from its HTTP endpoint while ShadowJob and
 * AllocationJob run on a MiniCluster with a real Kafka broker and PostgreSQL: events in and
 * rejected by the field named, runs in flight, anomalies by kind, commands taken and rejected, and
 * a pool's instances by state, each with the value the input implies. The reporter puts a labelled
 * metric's label keys into its name ({@code operator_reason_eventsRejected}) and writes {@code _}
 * for the characters Prometheus names do not take ({@code metrics_cpuSeconds}, {@code lab_etl}).
 */
class JobMetricsITCase {

    private static final int PROMETHEUS_PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(prometheus())
                            .build());

    private static final String POOL = "lab/etl";
    private static final String SHADOW_JOB = "job_name=\"foreshadow_shadow\"";
    private static final String PLANNER_COMMANDS = "planner-commands";
    private static final Instant T0 = AN_HOUR_AGO;

    @TempDir static Path runDir;
    private static EmbeddedStack stack;

    /** The reporter as flink-conf/config.yaml sets it, on a port of this test's. */
    private static Configuration prometheus() {
        Configuration c = new Configuration();
        c.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString("metrics.reporter.prom.port", Integer.toString(PROMETHEUS_PORT));
        return c;
    }

    @BeforeAll
    static void startStack() throws Exception {
        stack = EmbeddedStack.start(runDir.resolve("stack"));
        // one partition: the watermark follows the events, so which run timers fired is known
        stack.prepareForJobs(1);
        stack.createTopics(List.of(PLANNER_COMMANDS), 1);
    }

    @AfterAll
    static void stopStack() throws Exception {
        stack.close();
    }

    @Test
    @Timeout(240)
    void theReporterExposesEventsRejectionsRunsAnomaliesCommandsAndInstancesWithTheirValues()
            throws Exception {
        List<byte[]> events = new ArrayList<>();
        // half an hour of earlier runs, one to three a minute: history the forecast is scored on
        int historyRuns = 0;
        for (int minute = 0; minute < 30; minute++) {
            for (int j = 0; j <= minute % 3; j++) {
                Instant start = T0.minus(Duration.ofMinutes(30 - minute)).plusSeconds(5L * j);
                events.add(json(runStarted("run-h" + minute + "-" + j, start)));
                events.add(json(runFinished("run-h" + minute + "-" + j, start.plusSeconds(2))));
                historyRuns++;
            }
        }
        int history = 2 * historyRuns; // events
        // run-a ends; its grace passes when later events move the watermark
        events.add(json(runStarted("run-a", T0)));
        events.add(json(actionStarted("run-a", "load", 1, T0.plusSeconds(1))));
        events.add(
                json(actionFinished("run-a", "load", 1, T0.plusSeconds(3), CHARGE_CARD_METRICS)));
        events.add(json(runFinished("run-a", T0.plusSeconds(6))));
        // run-f: a retry storm (three failed attempts within a minute), then it ends
        events.add(json(runStarted("run-f", T0.plusSeconds(10))));
        for (int attempt = 1; attempt <= 3; attempt++) {
            WorkflowEvent failed =
                    actionFailed(
                            "run-f",
                            "load",
                            1,
                            T0.plusSeconds(10 + 4 * attempt),
                            CHARGE_CARD_METRICS);
            events.add(json(withIdAndAttempt(failed, failed.eventId() + attempt, attempt)));
        }
        events.add(json(runFinished("run-f", T0.plusSeconds(30))));
        // run-c starts and is still running when the metrics are read
        events.add(json(runStarted("run-c", T0.plusSeconds(40))));
        events.add(json(actionStarted("run-c", "load", 1, T0.plusSeconds(120))));
        // three rejected, each for another field
        events.add("{not json".getBytes(StandardCharsets.UTF_8));
        events.add(
                new String(
                                json(
                                        actionFinished(
                                                "run-d",
                                                "load",
                                                1,
                                                T0.plusSeconds(50),
                                                CHARGE_CARD_METRICS)),
                                StandardCharsets.UTF_8)
                        .replace("\"cpuSeconds\":0.41", "\"cpuSeconds\":-3")
                        .getBytes(StandardCharsets.UTF_8));
        events.add(
                new String(json(runStarted("run-e", T0.plusSeconds(60))), StandardCharsets.UTF_8)
                        .replace("\"runId\":\"run-e\",", "")
                        .getBytes(StandardCharsets.UTF_8));
        publish(Topics.WORKFLOW_EVENTS, events);

        JobClient shadow = startShadowJob();
        Map<String, String> pool = new HashMap<>();
        pool.put("allocation.pools", POOL);
        pool.put("allocation.poll-interval", "200 ms");
        String p = AllocationOptions.poolPrefix(POOL);
        pool.put(p + "manager", "simulated");
        pool.put(p + "min", "1");
        pool.put(p + "simulated.boot-time", "1 s");
        pool.put(p + "simulated.warm-up-time", "1 s");
        pool.put(p + "simulated.failure-rate", "0");
        StreamExecutionEnvironment allocationEnv =
                StreamExecutionEnvironment.getExecutionEnvironment();
        allocationEnv.setParallelism(1);
        try (SimulatedAllocation allocation =
                SimulatedAllocation.start(allocationEnv, stack, InstantSource.system(), pool)) {
            Instant now = Instant.now();
            publish(
                    Topics.ALLOCATION_COMMANDS,
                    List.of(
                            Json.bytes(command("cmd-1", POOL, now)),
                            Json.bytes(command("cmd-2", "lab/nowhere", now))));

            Map<String, Double> m =
                    scrapeUntil(
                            Duration.ofSeconds(150),
                            s ->
                                    value(
                                                            s,
                                                            "operator_eventsIn",
                                                            SHADOW_JOB,
                                                            "operator_name=\"split_dead_letters\"")
                                                    >= 14 + history
                                            && value(
                                                            s,
                                                            "operator_kind_anomalies",
                                                            "kind=\"retry_storm\"")
                                                    >= 1
                                            && value(s, "operator_runsInFlight") == 1
                                            && value(
                                                            s,
                                                            "operator_pool_state_instances",
                                                            "state=\"in_service\"")
                                                    >= 1
                                            && value(s, "operator_reason_commandsRejected") >= 1
                                            && value(s, "operator_workflow_type_forecastError")
                                                    > 0);

            assertThat(
                            value(
                                    m,
                                    "operator_eventsIn",
                                    SHADOW_JOB,
                                    "operator_name=\"split_dead_letters\""))
                    .isEqualTo(14 + history);
            assertThat(
                            value(
                                    m,
                                    "operator_reason_eventsRejected",
                                    SHADOW_JOB,
                                    "operator_name=\"split_dead_letters\"",
                                    "reason=\"event\""))
                    .isEqualTo(1);
            assertThat(
                            value(
                                    m,
                                    "operator_reason_eventsRejected",
                                    SHADOW_JOB,
                                    "operator_name=\"split_dead_letters\"",
                                    "reason=\"metrics_cpuSeconds\""))
                    .isEqualTo(1);
            assertThat(
                            value(
                                    m,
                                    "operator_reason_eventsRejected",
                                    SHADOW_JOB,
                                    "operator_name=\"split_dead_letters\"",
                                    "reason=\"runId\""))
                    .isEqualTo(1);
            assertThat(value(m, "operator_runsInFlight", "operator_name=\"shadow\""))
                    .as("run-c only: run-a and run-f ended")
                    .isEqualTo(1);
            assertThat(
                            value(
                                    m,
                                    "operator_kind_anomalies",
                                    "operator_name=\"rate_limit_alerts\"",
                                    "kind=\"retry_storm\""))
                    .isEqualTo(1);
            assertThat(
                            value(
                                    m,
                                    "operator_kind_anomalies",
                                    "operator_name=\"rate_limit_alerts\"",
                                    "kind=\"stuck_action\""))
                    .as("every kind is exported, at zero until found")
                    .isZero();
            assertThat(value(m, "operator_commandsAccepted", "operator_name=\"validate_commands\""))
                    .isEqualTo(1);
            assertThat(
                            value(
                                    m,
                                    "operator_reason_commandsRejected",
                                    "operator_name=\"validate_commands\"",
                                    "reason=\"pool\""))
                    .isEqualTo(1);
            assertThat(
                            value(
                                    m,
                                    "operator_pool_state_instances",
                                    "operator_name=\"reconciler\"",
                                    "pool=\"lab_etl\"",
                                    "state=\"target\""))
                    .isEqualTo(1);
            assertThat(
                            value(
                                    m,
                                    "operator_pool_state_instances",
                                    "operator_name=\"reconciler\"",
                                    "pool=\"lab_etl\"",
                                    "state=\"in_service\""))
                    .isEqualTo(1);
            assertThat(
                            value(
                                    m,
                                    "operator_reason_allocationCommandsIssued",
                                    "operator_name=\"scale_up_on_spike\""))
                    .as("no sustained spike, no scale-up")
                    .isZero();
            assertThat(
                            value(
                                    m,
                                    "operator_workflow_type_forecastError",
                                    "operator_name=\"forecast_arrivals\"",
                                    "workflow_type=\"order"))
                    .as("the type's smoothed MASE, once its 3-minute forecasts were scored")
                    .isFinite()
                    .isPositive()
                    .isLessThan(20);
            assertThat(shadow.getJobStatus().get().name()).isEqualTo("RUNNING");
        } finally {
            shadow.cancel().get();
        }
    }

    private static JobClient startShadowJob() throws Exception {
        Map<String, String> s = new HashMap<>(stack.jobSettings());
        s.put("kafka.group-id", "metrics");
        s.put("history.flush-interval", "200 ms");
        s.put("shadow.completion-grace", "1 s");
        s.put("watermark.out-of-orderness", "5 s");
        // the external-events topic stays empty: once idle it no longer holds the forecast back
        s.put("watermark.idleness", "15 s");
        // the planner's commands (for the unconfigured pool shop/order-fulfilment) go elsewhere:
        // the allocation job here counts only the two this test sends it
        s.put("topics.allocation-commands", PLANNER_COMMANDS);
        // forecasts short enough to be scored within the test's half hour of history
        s.put("forecast.bucket", "1 min");
        s.put("forecast.horizon", "3 min");
        s.put("planner.default-pool.lead-time", "1 min");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, s))).build(env);
        return env.executeAsync(ShadowJob.NAME);
    }

    private static AllocationCommand command(String id, String pool, Instant now) {
        return new AllocationCommand(
                id,
                pool,
                0,
                0,
                0,
                1,
                now,
                now.plusSeconds(600),
                List.of(),
                0.9,
                "forecast",
                now,
                false);
    }

    /** The sum over the series of {@code name} that carry every one of {@code labels}. */
    private static double value(Map<String, Double> scraped, String name, String... labels) {
        return scraped.entrySet().stream()
                .filter(e -> e.getKey().startsWith("flink_taskmanager_job_task_" + name + "{"))
                .filter(e -> java.util.Arrays.stream(labels).allMatch(e.getKey()::contains))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][^ ]*\\{.*\\}|[a-zA-Z_:][^ {]*) ([^ ]+)$");

    private static Map<String, Double> scrapeUntil(
            Duration timeout, java.util.function.Predicate<Map<String, Double>> done)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Double> last = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                String body =
                        http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://127.0.0.1:"
                                                                        + PROMETHEUS_PORT
                                                                        + "/metrics"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                Map<String, Double> samples = new HashMap<>();
                for (String line : body.split("\n")) {
                    Matcher m = SAMPLE.matcher(line);
                    if (!line.startsWith("#") && m.matches()) {
                        samples.put(m.group(1), Double.parseDouble(m.group(2)));
                    }
                }
                last = samples;
                if (done.test(samples)) {
                    return samples;
                }
            } catch (IOException e) {
                // the reporter's server is not up yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(
                "the metrics did not reach their values within "
                        + timeout
                        + "; foreshadow's: "
                        + last.entrySet().stream()
                                .filter(
                                        e ->
                                                e.getKey()
                                                        .matches(
                                                                ".*_(eventsIn|eventsRejected|runsInFlight|anomalies|commandsAccepted|commandsRejected|instances)\\{.*"))
                                .toList());
    }

    private static void publish(String topic, List<byte[]> values) throws Exception {
        Properties p = stack.kafka().clientProperties();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, v)).get();
            }
        }
    }

    private static byte[] json(WorkflowEvent e) {
        return Json.bytes(e);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
