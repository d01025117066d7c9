package dev.foreshadow.jobs.shadow.anomalies;

import static dev.foreshadow.jobs.shadow.anomalies.AnomalyOptions.*;

import dev.foreshadow.connectors.config.Options;
import dev.foreshadow.connectors.webhook.WebhookSettings;
import dev.foreshadow.models.anomaly.ActionScorer;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * The typed settings of anomaly detection, read once from {@link AnomalyOptions}.
 *
 * @param webhook where alerts are also POSTed, or null when {@code anomaly.webhook.url} is not set
 */
public record AnomalySettings(
        Duration incidentQuiet,
        Duration pageQuiet,
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
        Duration scaleUpExpiry,
        WebhookSettings webhook)
        implements Serializable {

    public static final String WEBHOOK_SECRET_ENV = "FORESHADOW_WEBHOOK_SECRET";

    public static AnomalySettings from(Configuration c) {
        return new AnomalySettings(
                Options.positive(c, INCIDENT_QUIET),
                Options.positive(c, PAGE_QUIET),
                new ActionScorer.AlertRule(
                        ActionScorer.Direction.parse(DIRECTION.key(), c.get(DIRECTION)),
                        Options.notNegative(c, MIN_CHANGE)),
                Options.atLeast(c, SPIKE_COUNT, 2),
                Options.positive(c, SPIKE_WITHIN),
                Options.atLeast(c, RETRY_STORM_FAILURES, 2),
                Options.positive(c, RETRY_STORM_WITHIN),
                Options.above(c, STUCK_FACTOR, 1.0),
                Options.atLeast(c, MIN_HISTORY, 1),
                Options.above(c, ALERTS_PER_MINUTE, 0.0),
                Options.atLeast(c, ALERT_BURST, 1),
                c.get(SCALE_UP_ON_SPIKE),
                Options.atLeast(c, SCALE_UP_INSTANCES, 0),
                Options.positive(c, SCALE_UP_EXPIRY),
                webhook(c));
    }

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
}
