package dev.foreshadow.jobs.shadow.anomalies;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * The settings of ShadowJob's anomaly detection ({@code anomaly.*}): the alert rule, incidents, the
 * CEP patterns, stuck actions, rate limits, the scale-up on sustained spikes and the webhook. Read
 * into {@link AnomalySettings}.
 */
public final class AnomalyOptions {

    public static final ConfigOption<Duration> INCIDENT_QUIET =
            key("anomaly.incident-quiet")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "A metric's incident closes after this much event time without a high score; one alert per incident.");
    public static final ConfigOption<Duration> PAGE_QUIET =
            key("anomaly.page-quiet")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "One alert is paged per incident of a (workflow type, action type): a rise pages after this much event time without another rise of it, a drop after this long without any anomaly of it; the others are only stored.");
    public static final ConfigOption<String> DIRECTION =
            key("anomaly.direction")
                    .stringType()
                    .defaultValue("both")
                    .withDescription(
                            "Which side of its baseline an action metric alerts on: above, below or both; above pages only on more time, resources or cost. A drop never scales up.");
    public static final ConfigOption<Double> MIN_CHANGE =
            key("anomaly.min-change")
                    .doubleType()
                    .defaultValue(0.2)
                    .withDescription(
                            "A high score alerts only when the value differs from the expected one by at least this fraction of it (0.2: 20%).");
    public static final ConfigOption<Integer> SPIKE_COUNT =
            key("anomaly.sustained-spike.count")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "High scores of one (workflow type, action type, metric) that make a sustained spike...");
    public static final ConfigOption<Duration> SPIKE_WITHIN =
            key("anomaly.sustained-spike.within")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription("...within this much event time.");
    public static final ConfigOption<Integer> RETRY_STORM_FAILURES =
            key("anomaly.retry-storm.failures")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Failed attempts in one run that make a retry storm...");
    public static final ConfigOption<Duration> RETRY_STORM_WITHIN =
            key("anomaly.retry-storm.within")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription("...within this much event time.");
    public static final ConfigOption<Double> STUCK_FACTOR =
            key("anomaly.stuck.factor")
                    .doubleType()
                    .defaultValue(3.0)
                    .withDescription(
                            "An action still running after this many times its type's p99 duration is flagged as stuck.");
    public static final ConfigOption<Integer> MIN_HISTORY =
            key("anomaly.min-history")
                    .intType()
                    .defaultValue(20)
                    .withDescription(
                            "Samples (or runs) of a type needed before stuck-action, action-order and cost-overrun checks judge it.");
    public static final ConfigOption<Double> ALERTS_PER_MINUTE =
            key("anomaly.alerts-per-minute")
                    .doubleType()
                    .defaultValue(30.0)
                    .withDescription(
                            "Alerts per tenant per minute on the anomalies topic (and webhook); the rest are only stored.");
    public static final ConfigOption<Integer> ALERT_BURST =
            key("anomaly.alert-burst")
                    .intType()
                    .defaultValue(20)
                    .withDescription(
                            "Alerts a tenant may send at once before the per-minute rate applies.");
    public static final ConfigOption<Boolean> SCALE_UP_ON_SPIKE =
            key("anomaly.scale-up.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Turn a sustained resource spike into an allocation command (reason anomaly) for the workflow type's pool.");
    public static final ConfigOption<Integer> SCALE_UP_INSTANCES =
            key("anomaly.scale-up.instances")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Instances such a command asks for, on top of the cores the spike shows are missing.");
    public static final ConfigOption<Duration> SCALE_UP_EXPIRY =
            key("anomaly.scale-up.expiry")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription("How long such a command stays valid.");
    public static final ConfigOption<String> WEBHOOK_URL =
            key("anomaly.webhook.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "When set, alerts are also POSTed here as JSON, HMAC-SHA256 signed (X-Foreshadow-Signature), retried with backoff.");
    public static final ConfigOption<String> WEBHOOK_SECRET_FILE =
            key("anomaly.webhook.secret-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the webhook signing secret, at least 16 bytes (else FORESHADOW_WEBHOOK_SECRET).");

    private AnomalyOptions() {}
}
