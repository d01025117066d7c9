package dev.foreshadow.connectors.webhook;

import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.signing.WebhookSignature;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of {@link WebhookSink}: the task thread serialises each record and hands it to one of
 * {@code maxInFlight} sender threads, waiting for a free one; a sender posts it, retrying with
 * backoff, until it is delivered or the attempts run out. Every wait is bounded: each attempt by
 * the request timeout, each backoff by the maximum backoff, so a delivery by roughly {@code
 * maxAttempts * (requestTimeout + maxBackoff)}.
 */
final class WebhookWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookWriter.class);

    /** How a sender waits between attempts; tests pass one that only records the wait. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper THREAD = d -> Thread.sleep(d.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    private final WebhookSettings settings;
    private final byte[] secret;
    private final Function<T, String> deliveryId;
    private final WebhookSink.FailureHandler<T> onFailure;
    private final int maxInFlight;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private final HttpClient client;
    private final ExecutorService senders;
    // one permit per sender thread: write() waits for a free sender, flush() waits for all of them
    private final Semaphore idle;
    // updated from the sender threads, hence thread-safe counters
    private final Counter deliveries;
    private final Counter retries;
    private final Counter failures;

    WebhookWriter(
            WebhookSettings settings,
            Function<T, String> deliveryId,
            WebhookSink.FailureHandler<T> onFailure,
            int maxInFlight,
            InstantSource clock,
            Sleeper sleeper,
            MetricGroup metrics) {
        this.settings = settings;
        this.secret = settings.secret();
        this.deliveryId = deliveryId;
        this.onFailure = onFailure;
        this.maxInFlight = maxInFlight;
        this.clock = clock;
        this.sleeper = sleeper;
        this.client =
                HttpClient.newBuilder()
                        .connectTimeout(settings.requestTimeout())
                        // a redirect is a misconfigured URL, and following it would send the signed
                        // body elsewhere
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        AtomicInteger threads = new AtomicInteger();
        this.senders =
                Executors.newFixedThreadPool(
                        maxInFlight,
                        r -> {
                            Thread t = new Thread(r, "webhook-sender-" + threads.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        this.idle = new Semaphore(maxInFlight);
        this.deliveries = metrics.counter("webhookDeliveries", new ThreadSafeSimpleCounter());
        this.retries = metrics.counter("webhookRetries", new ThreadSafeSimpleCounter());
        this.failures = metrics.counter("webhookDeliveryFailures", new ThreadSafeSimpleCounter());
    }

    @Override
    public void write(T element, Context context) throws InterruptedException {
        byte[] body = Json.bytes(element);
        String chosen = deliveryId == null ? null : deliveryId.apply(element);
        String id =
                chosen == null || chosen.isBlank()
                        ? UUID.nameUUIDFromBytes(body).toString()
                        : chosen;
        idle.acquire();
        try {
            senders.execute(
                    () -> {
                        try {
                            deliver(element, id, body);
                        } catch (RuntimeException e) {
                            giveUp(element, id, body, 0, "unexpected error: " + e);
                        } finally {
                            idle.release();
                        }
                    });
        } catch (RuntimeException e) {
            idle.release();
            throw e;
        }
    }

    /** Waits until every delivery handed over so far has succeeded or given up. */
    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        idle.acquire(maxInFlight);
        idle.release(maxInFlight);
    }

    long deliveryCount() {
        return deliveries.getCount();
    }

    long retryCount() {
        return retries.getCount();
    }

    long failureCount() {
        return failures.getCount();
    }

    private void deliver(T element, String id, byte[] body) {
        for (int attempt = 1; ; attempt++) {
            try {
                Attempt outcome = post(id, body);
                if (outcome.delivered()) {
                    deliveries.inc();
                    return;
                }
                if (!outcome.retryable() || attempt >= settings.maxAttempts()) {
                    giveUp(element, id, body, attempt, outcome.reason());
                    return;
                }
                retries.inc();
                sleeper.sleep(backoff(attempt, outcome.retryAfter()));
            } catch (InterruptedException e) {
                // only close() interrupts: the job is cancelled or failing over, and replays from
                // its last checkpoint
                LOG.warn(
                        "webhook delivery {} to {} abandoned after {} attempt(s), the sink is closing; record: {}",
                        id,
                        settings.endpoint(),
                        attempt,
                        new String(body, StandardCharsets.UTF_8));
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Attempt post(String id, byte[] body) throws InterruptedException {
        // signed afresh on each attempt, so that the timestamp is the time of sending
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request =
                HttpRequest.newBuilder(settings.url())
                        .timeout(settings.requestTimeout())
                        .header("Content-Type", "application/json")
                        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                        .header(
                                WebhookSignature.SIGNATURE_HEADER,
                                WebhookSignature.sign(secret, timestamp, body))
                        .header(WebhookSignature.DELIVERY_HEADER, id)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        CompletableFuture<HttpResponse<Void>> pending =
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // the request timeout covers the response headers only; this bound also covers a body
            // that never ends
            HttpResponse<Void> response =
                    pending.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return Attempt.of(response);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return Attempt.retry("no response within " + settings.requestTimeout(), null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason =
                    cause instanceof HttpTimeoutException
                            ? "no response within " + settings.requestTimeout()
                            : (cause instanceof IOException
                                            ? "connection failed: "
                                            : "request failed: ")
                                    + cause;
            return Attempt.retry(reason, null);
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        }
    }

    /**
     * Exponential from the initial backoff, capped, with "equal jitter"; at least what the receiver
     * asked for.
     */
    Duration backoff(int failedAttempts, Duration retryAfter) {
        long max = settings.maxBackoff().toMillis();
        long base = settings.initialBackoff().toMillis();
        for (int i = 1; i < failedAttempts && base < max; i++) {
            base *= 2;
        }
        base = Math.min(base, max);
        long half = base / 2;
        long wait = half + ThreadLocalRandom.current().nextLong(base - half + 1);
        if (retryAfter != null) {
            wait = Math.max(wait, Math.min(retryAfter.toMillis(), max));
        }
        return Duration.ofMillis(wait);
    }

    private void giveUp(T element, String id, byte[] body, int attempts, String reason) {
        failures.inc();
        LOG.warn(
                "webhook delivery {} to {} failed after {} attempt(s): {}; record: {}",
                id,
                settings.endpoint(),
                attempts,
                reason,
                new String(body, StandardCharsets.UTF_8));
        if (onFailure != null) {
            try {
                onFailure.failed(element, id, reason);
            } catch (RuntimeException e) {
                LOG.warn("webhook failure handler threw for delivery {}", id, e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        senders.shutdownNow();
        if (!senders.awaitTermination(
                settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn(
                    "webhook senders to {} did not stop within {}",
                    settings.endpoint(),
                    settings.requestTimeout());
        }
    }

    /** The outcome of one POST. */
    private record Attempt(
            boolean delivered, boolean retryable, String reason, Duration retryAfter) {

        static Attempt of(HttpResponse<?> response) {
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Attempt(true, false, null, null);
            }
            String reason = "HTTP " + status;
            if (status == 429 || status >= 500) {
                return retry(reason, retryAfter(response));
            }
            return new Attempt(false, false, reason, null);
        }

        static Attempt retry(String reason, Duration retryAfter) {
            return new Attempt(false, true, reason, retryAfter);
        }

        // only the delay-seconds form; an HTTP date is rare from webhook receivers and falls back
        // to our backoff
        private static Duration retryAfter(HttpResponse<?> response) {
            return response.headers()
                    .firstValue("Retry-After")
                    .filter(v -> v.strip().matches("\\d{1,9}"))
                    .map(v -> Duration.ofSeconds(Long.parseLong(v.strip())))
                    .orElse(null);
        }
    }
}
