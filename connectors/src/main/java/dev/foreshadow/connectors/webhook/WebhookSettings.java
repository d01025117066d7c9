package dev.foreshadow.connectors.webhook;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where and how {@link WebhookSink} delivers: the endpoint URL, the HMAC secret, and the retry
 * budget. The secret comes from a file or an environment variable, never from the command line, and
 * {@link #toString()} shows neither the secret nor the URL's path and query (webhook URLs often
 * carry a token there).
 */
public final class WebhookSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int MIN_SECRET_BYTES = 16;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final byte[] secret;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration requestTimeout;

    /** Settings with the default retry budget. */
    public WebhookSettings(String url, byte[] secret) {
        this(
                url,
                secret,
                DEFAULT_MAX_ATTEMPTS,
                DEFAULT_INITIAL_BACKOFF,
                DEFAULT_MAX_BACKOFF,
                DEFAULT_REQUEST_TIMEOUT);
    }

    public WebhookSettings(
            String url,
            byte[] secret,
            int maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff,
            Duration requestTimeout) {
        this.url = parseUrl(url);
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "anomaly.webhook.secret-file must hold at least "
                            + MIN_SECRET_BYTES
                            + " bytes of secret, got "
                            + (secret == null ? "none" : secret.length + " bytes"));
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "anomaly.webhook.max-attempts must be at least 1, got " + maxAttempts);
        }
        requirePositive("anomaly.webhook.initial-backoff", initialBackoff);
        requirePositive("anomaly.webhook.max-backoff", maxBackoff);
        requirePositive("anomaly.webhook.request-timeout", requestTimeout);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "anomaly.webhook.max-backoff ("
                            + maxBackoff
                            + ") must not be shorter than anomaly.webhook.initial-backoff ("
                            + initialBackoff
                            + ")");
        }
        this.secret = secret.clone();
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.requestTimeout = requestTimeout;
    }

    /** Settings with the default retry budget whose secret is the content of {@code secretFile}. */
    public static WebhookSettings withSecretFile(String url, Path secretFile) {
        if (secretFile == null) {
            throw new IllegalArgumentException("anomaly.webhook.secret-file is not set");
        }
        byte[] secret;
        try {
            secret = Files.readAllBytes(secretFile);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read anomaly.webhook.secret-file "
                            + secretFile
                            + ": "
                            + e.getMessage());
        }
        return new WebhookSettings(url, withoutTrailingNewline(secret));
    }

    /**
     * Settings with the default retry budget whose secret is the UTF-8 value of the environment
     * variable.
     */
    public static WebhookSettings withSecretFromEnvironment(String url, String variable) {
        String value = variable == null ? null : System.getenv(variable);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(
                    "anomaly.webhook.secret-file is not set and environment variable "
                            + variable
                            + " is empty or missing");
        }
        return new WebhookSettings(url, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The same settings with another retry budget. */
    public WebhookSettings withRetries(
            int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new WebhookSettings(
                url.toString(), secret, maxAttempts, initialBackoff, maxBackoff, requestTimeout);
    }

    /** The same settings with another bound on each request (connect, send and response). */
    public WebhookSettings withRequestTimeout(Duration requestTimeout) {
        return new WebhookSettings(
                url.toString(), secret, maxAttempts, initialBackoff, maxBackoff, requestTimeout);
    }

    public URI url() {
        return url;
    }

    /** A copy, so that callers cannot change the key under a running sink. */
    byte[] secret() {
        return secret.clone();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Scheme, host and port only: safe for logs. */
    String endpoint() {
        return url.getScheme()
                + "://"
                + url.getHost()
                + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    @Override
    public String toString() {
        return "webhook to "
                + endpoint()
                + ", "
                + maxAttempts
                + " attempts, backoff "
                + initialBackoff
                + ".."
                + maxBackoff
                + ", timeout "
                + requestTimeout;
    }

    private static URI parseUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("anomaly.webhook.url is not set");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            // the reason and index only: the URL itself may carry a token
            throw new IllegalArgumentException(
                    "anomaly.webhook.url is not a valid URL: "
                            + e.getReason()
                            + " at index "
                            + e.getIndex());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(
                    "anomaly.webhook.url must be an http:// or https:// URL, got scheme '"
                            + scheme
                            + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("anomaly.webhook.url has no host");
        }
        return uri;
    }

    private static void requirePositive(String key, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + " must be positive, got " + d);
        }
    }

    // editors and `echo > file` add a line end that nobody means as part of the key
    private static byte[] withoutTrailingNewline(byte[] b) {
        int n = b.length;
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r')) {
            n--;
        }
        return Arrays.copyOf(b, n);
    }
}
