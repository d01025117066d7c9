package dev.foreshadow.jobs.shadow.events;

import static dev.foreshadow.jobs.shadow.events.ExternalEventOptions.*;

import dev.foreshadow.connectors.config.Options;
import dev.foreshadow.connectors.external.ExternalEventVerifier;
import dev.foreshadow.connectors.json.InputLimits;
import dev.foreshadow.connectors.kafka.KafkaOptions;
import dev.foreshadow.connectors.signing.KeyRing;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * The typed settings of the external-events intake, read once from {@link ExternalEventOptions}.
 * The key file is read here, on the client, so a bad one stops the job before it starts.
 *
 * @param keys the signing keys; none when {@code external-events.key-file} is not set
 */
public record ExternalEventSettings(
        String topic, KeyRing keys, Duration maxAge, Duration maxClockSkew, Duration replayWindow)
        implements Serializable {

    public static ExternalEventSettings from(Configuration c) {
        Path file = Options.path(c, KEY_FILE);
        Duration maxAge = Options.positive(c, MAX_AGE);
        Duration replayWindow = Options.positive(c, REPLAY_WINDOW);
        if (replayWindow.compareTo(maxAge) < 0) {
            throw new IllegalArgumentException(
                    REPLAY_WINDOW.key()
                            + " ("
                            + replayWindow
                            + ") must be at least "
                            + MAX_AGE.key()
                            + " ("
                            + maxAge
                            + "), or a replay could come after its nonce is forgotten");
        }
        Duration skew = c.get(MAX_CLOCK_SKEW);
        if (skew.isNegative()) {
            throw new IllegalArgumentException(
                    MAX_CLOCK_SKEW.key() + " must not be negative, got " + skew);
        }
        return new ExternalEventSettings(
                c.get(KafkaOptions.TOPIC_EXTERNAL_EVENTS),
                file == null ? KeyRing.none(KEY_FILE.key()) : KeyRing.read(file, KEY_FILE.key()),
                maxAge,
                skew,
                replayWindow);
    }

    /** What checks each record's signature, age and content, under the default limits. */
    public ExternalEventVerifier verifier() {
        return new ExternalEventVerifier(keys, maxAge, maxClockSkew);
    }

    /** What checks each record's signature, age and content, reading it under {@code limits}. */
    public ExternalEventVerifier verifier(InputLimits limits) {
        return new ExternalEventVerifier(keys, maxAge, maxClockSkew, limits);
    }
}
