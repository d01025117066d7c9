package dev.foreshadow.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.privacy.AttributePolicy;
import dev.foreshadow.models.cost.PriceCatalog;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every setting of ShadowJob: key, type, default and description, in one place. Read from the
 * {@code --config} file (flat {@code key: value} lines) and {@code -D key=value} overrides;
 * cluster-wide Flink settings belong in {@code flink-conf/config.yaml}. The README's configuration
 * table is generated from this class's descriptions.
 */
public final class ShadowOptions {

    public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
            key("kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription("Kafka bootstrap servers.");
    public static final ConfigOption<String> KAFKA_PROPERTIES_FILE =
            key("kafka.properties-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A .properties file of Kafka client settings (TLS, SASL/SCRAM credentials); secrets stay in the file.");
    public static final ConfigOption<String> KAFKA_GROUP_ID =
            key("kafka.group-id")
                    .stringType()
                    .defaultValue("foreshadow-shadow")
                    .withDescription("Consumer group of the workflow-events source.");
    public static final ConfigOption<String> TOPIC_WORKFLOW_EVENTS =
            key("topics.workflow-events")
                    .stringType()
                    .defaultValue(Topics.WORKFLOW_EVENTS)
                    .withDescription("Topic of the engine's workflow events.");
    public static final ConfigOption<String> TOPIC_DEAD_LETTERS =
            key("topics.dead-letters")
                    .stringType()
                    .defaultValue(Topics.DEAD_LETTERS)
                    .withDescription("Topic that receives every rejected input with its reason.");
    public static final ConfigOption<Boolean> KAFKA_EXACTLY_ONCE =
            key("kafka.exactly-once")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Write Kafka outputs transactionally (needs checkpointing); otherwise at-least-once.");

    public static final ConfigOption<String> HISTORY_JDBC_URL =
            key("history.jdbc-url")
                    .stringType()
                    .defaultValue("jdbc:postgresql://localhost:5432/foreshadow")
                    .withDescription(
                            "JDBC URL of the history database (PostgreSQL or TimescaleDB); TLS via sslmode=verify-full.");
    public static final ConfigOption<String> HISTORY_USER =
            key("history.user")
                    .stringType()
                    .defaultValue("foreshadow")
                    .withDescription("Database user of the job.");
    public static final ConfigOption<String> HISTORY_PASSWORD_FILE =
            key("history.password-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the database password (else the FORESHADOW_DB_PASSWORD environment variable).");
    public static final ConfigOption<Duration> HISTORY_RETENTION =
            key("history.retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(180))
                    .withDescription(
                            "How long history is kept (e.g. 180 d, 365 d); older partitions or chunks are dropped.");
    public static final ConfigOption<Integer> HISTORY_BATCH_SIZE =
            key("history.batch-size")
                    .intType()
                    .defaultValue(5000)
                    .withDescription("Rows per COPY batch of the history sink.");
    public static final ConfigOption<Duration> HISTORY_FLUSH_INTERVAL =
            key("history.flush-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("Longest time a row waits in the history sink's buffer.");

    public static final ConfigOption<Duration> RUN_TTL =
            key("shadow.run-ttl")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "Event time without any event after which a run is recorded as ABANDONED and its state cleared.");
    public static final ConfigOption<Duration> COMPLETION_GRACE =
            key("shadow.completion-grace")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "Event time a finished run waits for its stragglers (actions reported after the run ended).");
    public static final ConfigOption<Duration> MAX_CLOCK_SKEW =
            key("validation.max-clock-skew")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "Events further than this in the future are rejected (they would push the watermark ahead).");
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            key("watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "How late an event may arrive and still count in per-minute statistics.");
    public static final ConfigOption<Duration> IDLENESS =
            key("watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "A partition silent this long stops holding back the watermark.");
    public static final ConfigOption<Integer> MAX_PARALLELISM =
            key("job.max-parallelism")
                    .intType()
                    .defaultValue(128)
                    .withDescription(
                            "Max parallelism (key groups); fixed for the life of the job's savepoints.");

    public static final ConfigOption<Double> COST_VCPU_SECOND =
            key("cost.vcpu-second")
                    .doubleType()
                    .defaultValue(PriceCatalog.DEFAULT.perVcpuSecond())
                    .withDescription(
                            "Price of one vCPU-second, for actions whose event has no cost.");
    public static final ConfigOption<Double> COST_GIB_SECOND =
            key("cost.gib-second")
                    .doubleType()
                    .defaultValue(PriceCatalog.DEFAULT.perGibSecond())
                    .withDescription("Price of one GiB of memory held for one second.");
    public static final ConfigOption<Double> COST_GB_TRANSFERRED =
            key("cost.gb-transferred")
                    .doubleType()
                    .defaultValue(PriceCatalog.DEFAULT.perGbTransferred())
                    .withDescription("Price of one GB moved over the network.");
    public static final ConfigOption<String> COST_CURRENCY =
            key("cost.currency")
                    .stringType()
                    .defaultValue(PriceCatalog.DEFAULT.currency())
                    .withDescription("Currency of the price catalog.");

    public static final ConfigOption<List<String>> PRIVACY_DROP =
            key("privacy.drop-attributes")
                    .stringType()
                    .asList()
                    .defaultValues(AttributePolicy.DEFAULT_DROP.toArray(String[]::new))
                    .withDescription(
                            "Attribute names (case-insensitive globs, ;-separated) dropped before anything is stored.");
    public static final ConfigOption<List<String>> PRIVACY_PSEUDONYMISE =
            key("privacy.pseudonymise-attributes")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "Attribute names whose values are replaced by a keyed hash (HMAC-SHA256).");
    public static final ConfigOption<String> PRIVACY_KEY_FILE =
            key("privacy.pseudonymisation-key-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the pseudonymisation key (else FORESHADOW_PSEUDONYMISATION_KEY).");

    public static final ConfigOption<Duration> INCIDENT_QUIET =
            key("anomaly.incident-quiet")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "A metric's incident closes after this much event time without a high score; one alert per incident.");
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
    public static final ConfigOption<String> TOPIC_ANOMALIES =
            key("topics.anomalies")
                    .stringType()
                    .defaultValue(Topics.ANOMALIES)
                    .withDescription("Topic of the anomaly alerts.");
    public static final ConfigOption<String> TOPIC_ALLOCATION_COMMANDS =
            key("topics.allocation-commands")
                    .stringType()
                    .defaultValue(Topics.ALLOCATION_COMMANDS)
                    .withDescription("Topic of the allocation commands.");

    private ShadowOptions() {}

    /** All options, in declaration order (for the docs and for rejecting unknown keys). */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field f : ShadowOptions.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    options.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }
}
