package dev.foreshadow.jobs.config;

import static dev.foreshadow.jobs.config.ShadowOptions.*;

import dev.foreshadow.connectors.history.PostgresSettings;
import dev.foreshadow.connectors.kafka.KafkaSettings;
import dev.foreshadow.connectors.privacy.AttributePolicy;
import dev.foreshadow.connectors.webhook.WebhookSettings;
import dev.foreshadow.models.anomaly.ActionScorer;
import dev.foreshadow.models.cost.PriceCatalog;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;

/**
 * The typed settings of ShadowJob, read once from a {@link Configuration} (see {@link
 * ShadowOptions}).
 */
public record ShadowSettings(
        KafkaSettings kafka,
        String groupId,
        String workflowEventsTopic,
        String deadLettersTopic,
        boolean exactlyOnce,
        PostgresSettings history,
        Duration retention,
        int batchSize,
        Duration flushInterval,
        Duration runTtl,
        Duration completionGrace,
        Duration maxClockSkew,
        Duration outOfOrderness,
        Duration idleness,
        int maxParallelism,
        PriceCatalog prices,
        AttributePolicy attributePolicy,
        AnomalySettings anomaly,
        WebhookSettings webhook,
        String anomaliesTopic,
        String allocationCommandsTopic)
        implements Serializable {

    /** The settings of anomaly detection ({@code anomaly.*}). */
    public record AnomalySettings(
            Duration incidentQuiet,
            ActionScorer.AlertRule alertRule,
            int spikeCount,
            Duration spikeWithin,
            int retryStormFailures,
            Duration retryStormWithin,
            double stuckFactor,
            int minHistory,
            double alertsPerMinute,
            int alertBurst,
            boolean scaleUpOnSpike,
            int scaleUpInstances,
            Duration scaleUpExpiry)
            implements Serializable {}

    public static final String PSEUDONYMISATION_KEY_ENV = "FORESHADOW_PSEUDONYMISATION_KEY";

    public static ShadowSettings from(Configuration c) {
        return new ShadowSettings(
                KafkaSettings.of(
                        c.get(KAFKA_BOOTSTRAP_SERVERS), path(c.get(KAFKA_PROPERTIES_FILE))),
                c.get(KAFKA_GROUP_ID),
                c.get(TOPIC_WORKFLOW_EVENTS),
                c.get(TOPIC_DEAD_LETTERS),
                c.get(KAFKA_EXACTLY_ONCE),
                PostgresSettings.of(
                        c.get(HISTORY_JDBC_URL),
                        c.get(HISTORY_USER),
                        path(c.get(HISTORY_PASSWORD_FILE))),
                positive(HISTORY_RETENTION.key(), c.get(HISTORY_RETENTION)),
                c.get(HISTORY_BATCH_SIZE),
                positive(HISTORY_FLUSH_INTERVAL.key(), c.get(HISTORY_FLUSH_INTERVAL)),
                positive(RUN_TTL.key(), c.get(RUN_TTL)),
                c.get(COMPLETION_GRACE),
                c.get(MAX_CLOCK_SKEW),
                c.get(OUT_OF_ORDERNESS),
                positive(IDLENESS.key(), c.get(IDLENESS)),
                c.get(MAX_PARALLELISM),
                new PriceCatalog(
                        c.get(COST_VCPU_SECOND),
                        c.get(COST_GIB_SECOND),
                        c.get(COST_GB_TRANSFERRED),
                        c.get(COST_CURRENCY)),
                new AttributePolicy(
                        c.get(PRIVACY_DROP), c.get(PRIVACY_PSEUDONYMISE), pseudonymisationKey(c)),
                new AnomalySettings(
                        positive(INCIDENT_QUIET.key(), c.get(INCIDENT_QUIET)),
                        new ActionScorer.AlertRule(
                                ActionScorer.Direction.parse(DIRECTION.key(), c.get(DIRECTION)),
                                notNegative(MIN_CHANGE.key(), c.get(MIN_CHANGE))),
                        atLeast(SPIKE_COUNT.key(), c.get(SPIKE_COUNT), 2),
                        positive(SPIKE_WITHIN.key(), c.get(SPIKE_WITHIN)),
                        atLeast(RETRY_STORM_FAILURES.key(), c.get(RETRY_STORM_FAILURES), 2),
                        positive(RETRY_STORM_WITHIN.key(), c.get(RETRY_STORM_WITHIN)),
                        above(STUCK_FACTOR.key(), c.get(STUCK_FACTOR), 1.0),
                        atLeast(MIN_HISTORY.key(), c.get(MIN_HISTORY), 1),
                        above(ALERTS_PER_MINUTE.key(), c.get(ALERTS_PER_MINUTE), 0.0),
                        atLeast(ALERT_BURST.key(), c.get(ALERT_BURST), 1),
                        c.get(SCALE_UP_ON_SPIKE),
                        atLeast(SCALE_UP_INSTANCES.key(), c.get(SCALE_UP_INSTANCES), 0),
                        positive(SCALE_UP_EXPIRY.key(), c.get(SCALE_UP_EXPIRY))),
                webhook(c),
                c.get(TOPIC_ANOMALIES),
                c.get(TOPIC_ALLOCATION_COMMANDS));
    }

    /**
     * Reads a configuration file of flat {@code key: value} (or {@code key=value}) lines, then
     * applies overrides. Unknown foreshadow keys are rejected, so that a typo does not silently
     * fall back to a default.
     */
    public static Configuration load(Path file, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
            p.stringPropertyNames().forEach(k -> values.put(k.trim(), p.getProperty(k).trim()));
        }
        values.putAll(overrides);
        Set<String> known =
                ShadowOptions.all().stream().map(o -> o.key()).collect(Collectors.toSet());
        Set<String> sections =
                Set.of(
                        "kafka",
                        "topics",
                        "history",
                        "shadow",
                        "validation",
                        "watermark",
                        "job",
                        "cost",
                        "privacy",
                        "anomaly");
        for (String k : values.keySet()) {
            String section = k.contains(".") ? k.substring(0, k.indexOf('.')) : k;
            if (sections.contains(section) && !known.contains(k)) {
                throw new IllegalArgumentException(
                        "unknown setting " + k + " (see the README's configuration table)");
            }
        }
        Configuration c = Configuration.fromMap(values);
        from(c); // validates every value now, with the key in the message
        return c;
    }

    public static final String WEBHOOK_SECRET_ENV = "FORESHADOW_WEBHOOK_SECRET";

    /** The webhook of the alerts, or null when {@code anomaly.webhook.url} is not set. */
    private static WebhookSettings webhook(Configuration c) {
        String url = c.get(WEBHOOK_URL);
        if (url == null || url.isBlank()) {
            return null;
        }
        String file = c.get(WEBHOOK_SECRET_FILE);
        return file != null
                ? WebhookSettings.withSecretFile(url, Path.of(file))
                : WebhookSettings.withSecretFromEnvironment(url, WEBHOOK_SECRET_ENV);
    }

    private static byte[] pseudonymisationKey(Configuration c) {
        String file = c.get(PRIVACY_KEY_FILE);
        if (file != null) {
            try {
                return Files.readString(Path.of(file)).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read "
                                + PRIVACY_KEY_FILE.key()
                                + " "
                                + file
                                + ": "
                                + e.getMessage());
            }
        }
        String env = System.getenv(PSEUDONYMISATION_KEY_ENV);
        return env == null ? null : env.getBytes(StandardCharsets.UTF_8);
    }

    private static Duration positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + d);
        }
        return d;
    }

    private static double above(String key, double value, double bound) {
        if (!(value > bound) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    key + " must be a number above " + bound + ", got " + value);
        }
        return value;
    }

    private static double notNegative(String key, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(key + " must be a number >= 0, got " + value);
        }
        return value;
    }

    private static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }
}
