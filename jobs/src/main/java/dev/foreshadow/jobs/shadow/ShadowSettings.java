package dev.foreshadow.jobs.shadow;

import dev.foreshadow.connectors.config.CostOptions;
import dev.foreshadow.connectors.config.Options;
import dev.foreshadow.connectors.history.HistoryOptions;
import dev.foreshadow.connectors.history.HistorySettings;
import dev.foreshadow.connectors.json.InputOptions;
import dev.foreshadow.connectors.kafka.KafkaOptions;
import dev.foreshadow.connectors.kafka.KafkaSettings;
import dev.foreshadow.connectors.otlp.OtlpOptions;
import dev.foreshadow.connectors.otlp.SpanMapping;
import dev.foreshadow.connectors.privacy.AttributePolicy;
import dev.foreshadow.connectors.privacy.PrivacyOptions;
import dev.foreshadow.jobs.common.ConfigLoader;
import dev.foreshadow.jobs.common.JobOptions;
import dev.foreshadow.jobs.common.JobSettings;
import dev.foreshadow.jobs.common.PoolOptions;
import dev.foreshadow.jobs.shadow.anomalies.AnomalyOptions;
import dev.foreshadow.jobs.shadow.anomalies.AnomalySettings;
import dev.foreshadow.jobs.shadow.dependencies.DependencyOptions;
import dev.foreshadow.jobs.shadow.dependencies.DependencySettings;
import dev.foreshadow.jobs.shadow.events.ExternalEventOptions;
import dev.foreshadow.jobs.shadow.events.ExternalEventSettings;
import dev.foreshadow.jobs.shadow.forecast.ForecastOptions;
import dev.foreshadow.jobs.shadow.forecast.ForecastSettings;
import dev.foreshadow.jobs.shadow.planner.PlannerOptions;
import dev.foreshadow.jobs.shadow.planner.PlanningSettings;
import dev.foreshadow.models.cost.PriceCatalog;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The typed settings of ShadowJob, read once from the option classes it uses ({@link #OPTIONS}).
 *
 * @param guarantee of the Kafka outputs (exactly-once when {@code kafka.exactly-once})
 * @param otlp which span attributes carry workflow events, for OTLP spans on workflow-events
 * @param runTtl event time without any event after which a run is recorded as abandoned
 * @param completionGrace event time a finished run waits for its stragglers
 */
public record ShadowSettings(
        KafkaSettings kafka,
        String groupId,
        String workflowEventsTopic,
        String deadLettersTopic,
        String anomaliesTopic,
        String allocationCommandsTopic,
        DeliveryGuarantee guarantee,
        HistorySettings history,
        JobSettings job,
        PriceCatalog prices,
        AttributePolicy privacy,
        AnomalySettings anomaly,
        SpanMapping otlp,
        ExternalEventSettings externalEvents,
        Duration runTtl,
        Duration completionGrace,
        DependencySettings dependencies,
        ForecastSettings forecast,
        PlanningSettings planner)
        implements Serializable {

    /** The option classes ShadowJob reads, in the order the README lists them. */
    public static final List<Class<?>> OPTIONS =
            List.of(
                    KafkaOptions.class,
                    HistoryOptions.class,
                    ShadowOptions.class,
                    JobOptions.class,
                    CostOptions.class,
                    PrivacyOptions.class,
                    InputOptions.class,
                    AnomalyOptions.class,
                    OtlpOptions.class,
                    ExternalEventOptions.class,
                    DependencyOptions.class,
                    ForecastOptions.class,
                    PlannerOptions.class,
                    PoolOptions.class);

    public static ShadowSettings from(Configuration c) {
        return new ShadowSettings(
                KafkaOptions.settings(c),
                c.get(KafkaOptions.KAFKA_GROUP_ID),
                c.get(KafkaOptions.TOPIC_WORKFLOW_EVENTS),
                c.get(KafkaOptions.TOPIC_DEAD_LETTERS),
                c.get(KafkaOptions.TOPIC_ANOMALIES),
                c.get(KafkaOptions.TOPIC_ALLOCATION_COMMANDS),
                KafkaOptions.guarantee(c),
                HistoryOptions.settings(c),
                JobOptions.settings(c),
                CostOptions.prices(c),
                PrivacyOptions.policy(c),
                AnomalySettings.from(c),
                OtlpOptions.mapping(c),
                ExternalEventSettings.from(c),
                Options.positive(c, ShadowOptions.RUN_TTL),
                c.get(ShadowOptions.COMPLETION_GRACE),
                DependencySettings.from(c),
                ForecastSettings.from(c),
                PlanningSettings.from(c));
    }

    /**
     * The configuration of a settings file and overrides ({@link ConfigLoader}), with every value
     * checked now so that a bad one is reported with its key before anything starts.
     */
    public static Configuration load(Path file, Map<String, String> overrides) {
        // allocation.* keys ShadowJob does not read are AllocationJob's, checked there
        Configuration c =
                ConfigLoader.load(
                        file,
                        overrides,
                        OPTIONS,
                        (key, values) ->
                                key.startsWith("allocation.") ? null : ConfigLoader.unknown(key));
        from(c);
        return c;
    }
}
