package dev.foreshadow.jobs.config;

import static dev.foreshadow.jobs.config.ShadowOptions.*;

import dev.foreshadow.connectors.history.PostgresSettings;
import dev.foreshadow.connectors.kafka.KafkaSettings;
import dev.foreshadow.connectors.privacy.AttributePolicy;
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

/** The typed settings of ShadowJob, read once from a {@link Configuration} (see {@link ShadowOptions}). */
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
        AttributePolicy attributePolicy)
        implements Serializable {

    public static final String PSEUDONYMISATION_KEY_ENV = "FORESHADOW_PSEUDONYMISATION_KEY";

    public static ShadowSettings from(Configuration c) {
        return new ShadowSettings(
                KafkaSettings.of(c.get(KAFKA_BOOTSTRAP_SERVERS), path(c.get(KAFKA_PROPERTIES_FILE))),
                c.get(KAFKA_GROUP_ID),
                c.get(TOPIC_WORKFLOW_EVENTS),
                c.get(TOPIC_DEAD_LETTERS),
                c.get(KAFKA_EXACTLY_ONCE),
                PostgresSettings.of(c.get(HISTORY_JDBC_URL), c.get(HISTORY_USER), path(c.get(HISTORY_PASSWORD_FILE))),
                positive(HISTORY_RETENTION.key(), c.get(HISTORY_RETENTION)),
                c.get(HISTORY_BATCH_SIZE),
                positive(HISTORY_FLUSH_INTERVAL.key(), c.get(HISTORY_FLUSH_INTERVAL)),
                positive(RUN_TTL.key(), c.get(RUN_TTL)),
                c.get(COMPLETION_GRACE),
                c.get(MAX_CLOCK_SKEW),
                c.get(OUT_OF_ORDERNESS),
                positive(IDLENESS.key(), c.get(IDLENESS)),
                c.get(MAX_PARALLELISM),
                new PriceCatalog(c.get(COST_VCPU_SECOND), c.get(COST_GIB_SECOND), c.get(COST_GB_TRANSFERRED),
                        c.get(COST_CURRENCY)),
                new AttributePolicy(c.get(PRIVACY_DROP), c.get(PRIVACY_PSEUDONYMISE), pseudonymisationKey(c)));
    }

    /**
     * Reads a configuration file of flat {@code key: value} (or {@code key=value}) lines, then applies overrides.
     * Unknown foreshadow keys are rejected, so that a typo does not silently fall back to a default.
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
        Set<String> known = ShadowOptions.all().stream().map(o -> o.key()).collect(Collectors.toSet());
        Set<String> sections = Set.of("kafka", "topics", "history", "shadow", "validation", "watermark", "job",
                "cost", "privacy");
        for (String k : values.keySet()) {
            String section = k.contains(".") ? k.substring(0, k.indexOf('.')) : k;
            if (sections.contains(section) && !known.contains(k)) {
                throw new IllegalArgumentException("unknown setting " + k + " (see the README's configuration table)");
            }
        }
        try {
            Configuration c = Configuration.fromMap(values);
            from(c); // validates every value now, with the key in the message
            return c;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static byte[] pseudonymisationKey(Configuration c) {
        String file = c.get(PRIVACY_KEY_FILE);
        if (file != null) {
            try {
                return Files.readString(Path.of(file)).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + PRIVACY_KEY_FILE.key() + " " + file + ": " + e.getMessage());
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

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }
}
