package dev.foreshadow.connectors.kafka;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.foreshadow.connectors.config.Options;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * How the jobs reach Kafka ({@code kafka.*}) and the topics they read and write ({@code topics.*}).
 */
public final class KafkaOptions {

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
                    .withDescription(
                            "Consumer group of the job's sources (workflow-events, external-events).");
    public static final ConfigOption<Boolean> KAFKA_EXACTLY_ONCE =
            key("kafka.exactly-once")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Write Kafka outputs transactionally (needs checkpointing; transactions time out after"
                                    + " 15 min, the broker's default limit, unless kafka.properties-file sets"
                                    + " transaction.timeout.ms); otherwise at-least-once.");
    public static final ConfigOption<String> TOPIC_WORKFLOW_EVENTS =
            key("topics.workflow-events")
                    .stringType()
                    .defaultValue(Topics.WORKFLOW_EVENTS)
                    .withDescription("Topic of the engine's workflow events.");
    public static final ConfigOption<String> TOPIC_EXTERNAL_EVENTS =
            key("topics.external-events")
                    .stringType()
                    .defaultValue(Topics.EXTERNAL_EVENTS)
                    .withDescription(
                            "Topic of the signed external events (campaigns, forecasts, traffic surges).");
    public static final ConfigOption<String> TOPIC_DEAD_LETTERS =
            key("topics.dead-letters")
                    .stringType()
                    .defaultValue(Topics.DEAD_LETTERS)
                    .withDescription("Topic that receives every rejected input with its reason.");
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

    public static final ConfigOption<String> TOPIC_ALLOCATION_STATUS =
            key("topics.allocation-status")
                    .stringType()
                    .defaultValue(Topics.ALLOCATION_STATUS)
                    .withDescription(
                            "Topic of AllocationJob's audited changes: commands taken, targets, instance transitions, requests.");

    private KafkaOptions() {}

    /** The connection: bootstrap servers and the client properties file, if any. */
    public static KafkaSettings settings(Configuration c) {
        return KafkaSettings.of(
                c.get(KAFKA_BOOTSTRAP_SERVERS), Options.path(c, KAFKA_PROPERTIES_FILE));
    }

    /** Exactly-once (transactional) when configured, else at-least-once. */
    public static DeliveryGuarantee guarantee(Configuration c) {
        return c.get(KAFKA_EXACTLY_ONCE)
                ? DeliveryGuarantee.EXACTLY_ONCE
                : DeliveryGuarantee.AT_LEAST_ONCE;
    }
}
