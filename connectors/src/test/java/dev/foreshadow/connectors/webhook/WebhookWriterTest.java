package dev.foreshadow.connectors.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.signing.WebhookSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The webhook writer against a real HTTP server on the loopback interface. Backoff goes through a
 * sleeper that only records the wait, so retries cost no time; timeouts are real but short.
 */
@Timeout(60) // generous: a shared CI machine under load, and a hang still fails
class WebhookWriterTest {

    private static final byte[] SECRET = "a-webhook-secret-of-32-bytes-len".getBytes(UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-28T02:00:00Z");
    private static final String PATH = "/hooks/foreshadow";
    private static final Anomaly RETRY_STORM = anomaly("an-1", "retry-storm");

    /** One request as the server saw it. */
    private record Received(
            String contentType, String timestamp, String signature, String delivery, byte[] body) {}

    /** One record whose delivery gave up, as the failure handler saw it. */
    private record Failed(Anomaly record, String deliveryId, String reason) {}

    private HttpServer server;
    private ExecutorService serverThreads;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    // scripted status codes, one per request; 200 once they run out
    private final Queue<Integer> replies = new ConcurrentLinkedQueue<>();
    private volatile String retryAfter;
    private volatile Duration answerAfter = Duration.ZERO;
    private final CountDownLatch neverAnswer = new CountDownLatch(1);
    private volatile boolean hang;

    private final List<Duration> backoffs = new CopyOnWriteArrayList<>();
    private final List<Failed> failed = new CopyOnWriteArrayList<>();
    private final List<WebhookWriter<Anomaly>> writers = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext(PATH, this::answer);
        server.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        for (WebhookWriter<Anomaly> w : writers) {
            w.close();
        }
        neverAnswer.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void deliversARecordAsSignedJsonWithTheHeaders() throws Exception {
        WebhookWriter<Anomaly> writer = writer(settings());

        writer.write(RETRY_STORM, null);
        writer.flush(false);

        assertThat(received).hasSize(1);
        Received r = received.get(0);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.timestamp()).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(r.body()).isEqualTo(Json.bytes(RETRY_STORM));
        assertThat(
                        WebhookSignature.verify(
                                SECRET, Long.parseLong(r.timestamp()), r.body(), r.signature()))
                .isTrue();
        assertThat(r.delivery()).isNotBlank();
        assertThat(writer.deliveryCount()).isEqualTo(1);
        assertThat(writer.failureCount()).isZero();
        assertThat(backoffs).isEmpty();
    }

    @Test
    void retriesA503AndDeliversOnceWithTheSameDeliveryId() throws Exception {
        replies.add(503);
        WebhookWriter<Anomaly> writer = writer(settings());

        writer.write(RETRY_STORM, null);
        writer.flush(false);

        assertThat(received).hasSize(2);
        assertThat(received.get(1).delivery()).isEqualTo(received.get(0).delivery());
        assertThat(writer.deliveryCount()).isEqualTo(1);
        assertThat(writer.retryCount()).isEqualTo(1);
        assertThat(writer.failureCount()).isZero();
        assertThat(backoffs)
                .singleElement()
                .satisfies(d -> assertThat(d).isBetween(ms(250), ms(500)));
    }

    @Test
    void doesNotRetryA400AndCountsItAsAFailureWithoutThrowing() throws Exception {
        replies.add(400);
        WebhookWriter<Anomaly> writer = writer(settings());

        assertThatCode(
                        () -> {
                            writer.write(RETRY_STORM, null);
                            writer.flush(false);
                        })
                .doesNotThrowAnyException();

        assertThat(received).hasSize(1);
        assertThat(writer.failureCount()).isEqualTo(1);
        assertThat(writer.deliveryCount()).isZero();
        assertThat(backoffs).isEmpty();
        assertThat(failed)
                .singleElement()
                .satisfies(
                        f -> {
                            assertThat(f.record()).isEqualTo(RETRY_STORM);
                            assertThat(f.deliveryId()).isEqualTo(received.get(0).delivery());
                            assertThat(f.reason()).isEqualTo("HTTP 400");
                        });
    }

    @Test
    void retriesA429And5xxUntilTheAttemptsRunOutThenCountsOneFailure() throws Exception {
        replies.addAll(List.of(429, 500, 502));
        WebhookWriter<Anomaly> writer =
                writer(settings().withRetries(3, ms(500), Duration.ofSeconds(30)));

        writer.write(RETRY_STORM, null);
        writer.flush(true);

        assertThat(received)
                .hasSize(3)
                .extracting(Received::delivery)
                .containsOnly(received.get(0).delivery());
        assertThat(writer.retryCount()).isEqualTo(2);
        assertThat(writer.failureCount()).isEqualTo(1);
        assertThat(failed).singleElement().extracting(Failed::reason).isEqualTo("HTTP 502");
    }

    @Test
    void retriesAServerThatNeverAnswersAfterTheTimeoutThenCountsItAsFailed() throws Exception {
        hang = true;
        WebhookWriter<Anomaly> writer =
                writer(settings().withRetries(3, ms(100), ms(400)).withRequestTimeout(ms(200)));
        long start = System.nanoTime();

        writer.write(RETRY_STORM, null);
        writer.flush(false);

        // three timeouts and two waits come to about a second; the bound only proves that no
        // attempt waited for the server that never answers (a shared CI machine can be slow)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        // the first attempt in a cold JVM can time out before the server sees it, so count
        // attempts, not requests
        assertThat(received)
                .isNotEmpty()
                .extracting(Received::delivery)
                .containsOnly(received.get(0).delivery());
        assertThat(writer.retryCount()).isEqualTo(2);
        assertThat(writer.failureCount()).isEqualTo(1);
        assertThat(failed)
                .singleElement()
                .extracting(Failed::reason)
                .isEqualTo("no response within PT0.2S");
    }

    @Test
    void retriesARefusedConnectionThenCountsItAsFailed() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        WebhookSettings nobodyListens =
                new WebhookSettings("http://127.0.0.1:" + closedPort + PATH, SECRET)
                        .withRetries(2, ms(100), ms(400));
        WebhookWriter<Anomaly> writer = writer(nobodyListens);

        writer.write(RETRY_STORM, null);
        writer.flush(false);

        assertThat(writer.retryCount()).isEqualTo(1);
        assertThat(writer.failureCount()).isEqualTo(1);
        assertThat(failed)
                .singleElement()
                .extracting(Failed::reason)
                .asString()
                .startsWith("connection failed: ");
    }

    @Test
    void waitsAtLeastWhatRetryAfterAsksButNoLongerThanTheMaximumBackoff() throws Exception {
        replies.addAll(List.of(429, 429));
        retryAfter = "3";
        WebhookWriter<Anomaly> writer =
                writer(settings().withRetries(3, ms(100), Duration.ofSeconds(2)));

        writer.write(RETRY_STORM, null);
        writer.flush(false);

        assertThat(writer.deliveryCount()).isEqualTo(1);
        assertThat(backoffs).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void flushWaitsForEveryDeliveryInFlight() throws Exception {
        answerAfter = ms(100);
        WebhookWriter<Anomaly> writer = writer(settings());

        for (int i = 0; i < 6; i++) {
            writer.write(anomaly("an-" + i, "stuck-action"), null);
        }
        writer.flush(false);

        assertThat(writer.deliveryCount()).isEqualTo(6);
        assertThat(received).extracting(Received::delivery).doesNotHaveDuplicates().hasSize(6);
    }

    @Test
    void takesTheDeliveryIdFromTheRecordWhenAsked() throws Exception {
        WebhookWriter<Anomaly> writer = writer(settings(), Anomaly::anomalyId);

        writer.write(RETRY_STORM, null);
        writer.flush(false);

        assertThat(received).extracting(Received::delivery).containsExactly("an-1");
    }

    @Test
    void derivesTheSameDeliveryIdWhenTheSameRecordIsReplayed() throws Exception {
        WebhookWriter<Anomaly> writer = writer(settings());

        writer.write(RETRY_STORM, null);
        writer.write(RETRY_STORM, null);
        writer.write(anomaly("an-2", "retry-storm"), null);
        writer.flush(false);

        Map<String, Set<String>> idsByBody =
                received.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> new String(r.body(), UTF_8),
                                        Collectors.mapping(
                                                Received::delivery, Collectors.toSet())));
        assertThat(idsByBody).hasSize(2);
        assertThat(idsByBody.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        assertThat(idsByBody.values().stream().flatMap(Set::stream).distinct()).hasSize(2);
    }

    @Test
    void backsOffExponentiallyWithJitterUpToTheMaximum() {
        WebhookWriter<Anomaly> writer = writer(settings());

        assertThat(writer.backoff(1, null)).isBetween(ms(250), ms(500));
        assertThat(writer.backoff(2, null)).isBetween(ms(500), ms(1000));
        assertThat(writer.backoff(3, null)).isBetween(ms(1000), ms(2000));
        assertThat(writer.backoff(12, null))
                .isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        assertThat(writer.backoff(100, null))
                .isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
    }

    @Test
    void closeAbandonsADeliveryStuckOnTheServerWithoutWaitingForIt() throws Exception {
        hang = true;
        WebhookWriter<Anomaly> writer =
                new WebhookWriter<>(
                        settings(),
                        null,
                        this::onFailure,
                        2,
                        () -> NOW,
                        WebhookWriter.Sleeper.THREAD,
                        new UnregisteredMetricsGroup());
        writer.write(RETRY_STORM, null);
        while (received.isEmpty()) {
            Thread.sleep(10);
        }
        long start = System.nanoTime();

        writer.close();

        // well below the request timeout (10 s) it would otherwise wait out, with room for a
        // slow shared machine
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        assertThat(writer.failureCount()).isZero();
    }

    private WebhookSettings settings() {
        return new WebhookSettings(
                "http://127.0.0.1:" + server.getAddress().getPort() + PATH, SECRET);
    }

    private WebhookWriter<Anomaly> writer(WebhookSettings settings) {
        return writer(settings, null);
    }

    private WebhookWriter<Anomaly> writer(
            WebhookSettings settings, Function<Anomaly, String> deliveryId) {
        WebhookWriter<Anomaly> w =
                new WebhookWriter<>(
                        settings,
                        deliveryId,
                        this::onFailure,
                        2,
                        () -> NOW,
                        backoffs::add,
                        new UnregisteredMetricsGroup());
        writers.add(w);
        return w;
    }

    private void onFailure(Anomaly record, String deliveryId, String reason) {
        failed.add(new Failed(record, deliveryId, reason));
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var h = exchange.getRequestHeaders();
            received.add(
                    new Received(
                            h.getFirst("Content-Type"),
                            h.getFirst(WebhookSignature.TIMESTAMP_HEADER),
                            h.getFirst(WebhookSignature.SIGNATURE_HEADER),
                            h.getFirst(WebhookSignature.DELIVERY_HEADER),
                            body));
            if (hang) {
                neverAnswer.await();
                return;
            }
            Thread.sleep(answerAfter.toMillis());
            Integer status = replies.poll();
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static Anomaly anomaly(String id, String kind) {
        return new Anomaly(
                id,
                kind,
                NOW,
                "acme",
                "billing",
                "run-7",
                "charge-card",
                "act-3",
                "retries",
                12,
                2,
                0.97,
                Map.of("region", "eu-west-1"));
    }
}
