package dev.foreshadow.models.lifecycle;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the reconciler may size and time one pool.
 *
 * @param min instances the pool always keeps
 * @param max instances the pool never exceeds, whatever the commands ask
 * @param cooldown how long after the target last changed capacity above it may be given back
 * @param leadTime how long before a floor's readyBy its capacity is requested (boot, warm-up and
 *     the validation, with a margin)
 * @param validationDeadline how long an instance may stay warming before it fails
 * @param callTimeout after this long without its effect being seen, a call is asked again
 * @param prepareAhead floors starting within this much time are prepared for (placeholders, a warm
 *     pool); zero turns that off
 */
public record PoolLimits(
        int min,
        int max,
        Duration cooldown,
        Duration leadTime,
        Duration validationDeadline,
        Duration callTimeout,
        Duration prepareAhead)
        implements Serializable {

    public PoolLimits {
        if (min < 0 || max < 1 || max < min) {
            throw new IllegalArgumentException(
                    "need 0 <= min <= max and max >= 1, got min " + min + ", max " + max);
        }
        requireNotNegative("cooldown", cooldown);
        requireNotNegative("lead time", leadTime);
        requireNotNegative("prepare-ahead", prepareAhead);
        if (validationDeadline.isNegative() || validationDeadline.isZero()) {
            throw new IllegalArgumentException(
                    "the validation deadline must be positive, got " + validationDeadline);
        }
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "the call timeout must be positive, got " + callTimeout);
        }
    }

    /** {@code instances} within [min, max]. */
    public int clamp(int instances) {
        return Math.max(min, Math.min(max, instances));
    }

    private static void requireNotNegative(String what, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
    }
}
