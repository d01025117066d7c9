package dev.foreshadow.connectors.json;

import dev.foreshadow.connectors.records.DeadLetter;
import java.time.Instant;

/**
 * The result of decoding one input record: either a valid value or the dead letter that says why it
 * was rejected.
 *
 * @param timestamp the value's event time, or null for a dead letter (whose time must not move
 *     watermarks)
 */
public record Decoded<T>(T value, DeadLetter deadLetter, Instant timestamp) {

    public static <T> Decoded<T> ok(T value, Instant timestamp) {
        return new Decoded<>(value, null, timestamp);
    }

    public static <T> Decoded<T> rejected(DeadLetter deadLetter) {
        return new Decoded<>(null, deadLetter, null);
    }

    public boolean isValid() {
        return value != null;
    }
}
