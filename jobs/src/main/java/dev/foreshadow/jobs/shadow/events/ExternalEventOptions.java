package dev.foreshadow.jobs.shadow.events;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;

/**
 * How ShadowJob authenticates external events ({@code external-events.*}): the key file, how old or
 * how far ahead a signature may be, and how long nonces are remembered. The topic is {@code
 * topics.external-events} (KafkaOptions). Read into {@link ExternalEventSettings}.
 */
public final class ExternalEventOptions {

    public static final ConfigOption<String> KEY_FILE =
            key("external-events.key-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File of signing keys, one a line: <key id> <tenant or *> <base64 secret of 32+ bytes>;"
                                    + " several at once, so keys rotate by id. Without it every external event goes to"
                                    + " dead-letters as unverifiable.");
    public static final ConfigOption<Duration> MAX_AGE =
            key("external-events.max-age")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "A signed event received longer than this after its signing is rejected as stale.");
    public static final ConfigOption<Duration> MAX_CLOCK_SKEW =
            key("external-events.max-clock-skew")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "A signed event stamped further than this after its receipt is rejected (the sender's clock is ahead).");
    public static final ConfigOption<Duration> REPLAY_WINDOW =
            key("external-events.replay-window")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "How long after its signing a nonce is remembered (per key id): a second record with it is a"
                                    + " replay. At least external-events.max-age, so no replay outlives it.");

    private ExternalEventOptions() {}
}
