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
 * Every setting of ShadowJob: key, type, default and description, in one place. Read from the {@code --config} file
 * (flat {@code key: value} lines) and {@code -D key=value} overrides; cluster-wide Flink settings belong in
 * {@code flink-conf/config.yaml}. The README's configuration table is generated from this class's descriptions.
 */
public final class ShadowOptions {

    public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
            key("kafka.bootstrap-servers").stringType().defaultValue("localhost:9092")
                    .withDescription("Kafka bootstrap servers.");
    public static final ConfigOption<String> KAFKA_PROPERTIES_FILE =
            key("kafka.properties-file").stringType().noDefaultValue()
                    .withDescription("A .properties file of Kafka client settings (TLS, SASL/SCRAM credentials); secrets stay in the file.");
    public static final ConfigOption<String> KAFKA_GROUP_ID =
            key("kafka.group-id").stringType().defaultValue("foreshadow-shadow")
                    .withDescription("Consumer group of the workflow-events source.");
    public static final ConfigOption<String> TOPIC_WORKFLOW_EVENTS =
            key("topics.workflow-events").stringType().defaultValue(Topics.WORKFLOW_EVENTS)
                    .withDescription("Topic of the engine's workflow events.");
    public static final ConfigOption<String> TOPIC_DEAD_LETTERS =
            key("topics.dead-letters").stringType().defaultValue(Topics.DEAD_LETTERS)
                    .withDescription("Topic that receives every rejected input with its reason.");
    public static final ConfigOption<Boolean> KAFKA_EXACTLY_ONCE =
            key("kafka.exactly-once").booleanType().defaultValue(false)
                    .withDescription("Write Kafka outputs transactionally (needs checkpointing); otherwise at-least-once.");

    public static final ConfigOption<String> HISTORY_JDBC_URL =
            key("history.jdbc-url").stringType().defaultValue("jdbc:postgresql://localhost:5432/foreshadow")
                    .withDescription("JDBC URL of the history database (PostgreSQL or TimescaleDB); TLS via sslmode=verify-full.");
    public static final ConfigOption<String> HISTORY_USER =
            key("history.user").stringType().defaultValue("foreshadow")
                    .withDescription("Database user of the job.");
    public static final ConfigOption<String> HISTORY_PASSWORD_FILE =
            key("history.password-file").stringType().noDefaultValue()
                    .withDescription("File holding the database password (else the FORESHADOW_DB_PASSWORD environment variable).");
    public static final ConfigOption<Duration> HISTORY_RETENTION =
            key("history.retention").durationType().defaultValue(Duration.ofDays(180))
                    .withDescription("How long history is kept (e.g. 180 d, 365 d); older partitions or chunks are dropped.");
    public static final ConfigOption<Integer> HISTORY_BATCH_SIZE =
            key("history.batch-size").intType().defaultValue(5000)
                    .withDescription("Rows per COPY batch of the history sink.");
    public static final ConfigOption<Duration> HISTORY_FLUSH_INTERVAL =
            key("history.flush-interval").durationType().defaultValue(Duration.ofSeconds(1))
                    .withDescription("Longest time a row waits in the history sink's buffer.");

    public static final ConfigOption<Duration> RUN_TTL =
            key("shadow.run-ttl").durationType().defaultValue(Duration.ofHours(24))
                    .withDescription("Event time without any event after which a run is recorded as ABANDONED and its state cleared.");
    public static final ConfigOption<Duration> COMPLETION_GRACE =
            key("shadow.completion-grace").durationType().defaultValue(Duration.ofSeconds(30))
                    .withDescription("Event time a finished run waits for its stragglers (actions reported after the run ended).");
    public static final ConfigOption<Duration> MAX_CLOCK_SKEW =
            key("validation.max-clock-skew").durationType().defaultValue(Duration.ofHours(1))
                    .withDescription("Events further than this in the future are rejected (they would push the watermark ahead).");
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            key("watermark.out-of-orderness").durationType().defaultValue(Duration.ofSeconds(30))
                    .withDescription("How late an event may arrive and still count in per-minute statistics.");
    public static final ConfigOption<Duration> IDLENESS =
            key("watermark.idleness").durationType().defaultValue(Duration.ofSeconds(10))
                    .withDescription("A partition silent this long stops holding back the watermark.");
    public static final ConfigOption<Integer> MAX_PARALLELISM =
            key("job.max-parallelism").intType().defaultValue(128)
                    .withDescription("Max parallelism (key groups); fixed for the life of the job's savepoints.");

    public static final ConfigOption<Double> COST_VCPU_SECOND =
            key("cost.vcpu-second").doubleType().defaultValue(PriceCatalog.DEFAULT.perVcpuSecond())
                    .withDescription("Price of one vCPU-second, for actions whose event has no cost.");
    public static final ConfigOption<Double> COST_GIB_SECOND =
            key("cost.gib-second").doubleType().defaultValue(PriceCatalog.DEFAULT.perGibSecond())
                    .withDescription("Price of one GiB of memory held for one second.");
    public static final ConfigOption<Double> COST_GB_TRANSFERRED =
            key("cost.gb-transferred").doubleType().defaultValue(PriceCatalog.DEFAULT.perGbTransferred())
                    .withDescription("Price of one GB moved over the network.");
    public static final ConfigOption<String> COST_CURRENCY =
            key("cost.currency").stringType().defaultValue(PriceCatalog.DEFAULT.currency())
                    .withDescription("Currency of the price catalog.");

    public static final ConfigOption<List<String>> PRIVACY_DROP =
            key("privacy.drop-attributes").stringType().asList().defaultValues(AttributePolicy.DEFAULT_DROP.toArray(String[]::new))
                    .withDescription("Attribute names (case-insensitive globs, ;-separated) dropped before anything is stored.");
    public static final ConfigOption<List<String>> PRIVACY_PSEUDONYMISE =
            key("privacy.pseudonymise-attributes").stringType().asList().defaultValues()
                    .withDescription("Attribute names whose values are replaced by a keyed hash (HMAC-SHA256).");
    public static final ConfigOption<String> PRIVACY_KEY_FILE =
            key("privacy.pseudonymisation-key-file").stringType().noDefaultValue()
                    .withDescription("File holding the pseudonymisation key (else FORESHADOW_PSEUDONYMISATION_KEY).");

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
