package dev.foreshadow.models.anomaly;

import java.io.Serializable;

/**
 * A token-bucket rate limiter for alerts (Turner 1986): holds up to {@code capacity} tokens,
 * refilled continuously at {@code perSecond}; each alert takes one token, and an alert finding no
 * token is dropped (or summarised) by the caller. Time is passed in (event or processing time,
 * milliseconds), so it is deterministic in tests and a plain serialisable value for Flink state.
 */
public final class TokenBucket implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double capacity;
    private final double perMs;
    private double tokens;
    private long lastMs = Long.MIN_VALUE;

    public TokenBucket(double capacity, double perSecond) {
        if (capacity < 1 || perSecond < 0) {
            throw new IllegalArgumentException(
                    "need capacity >= 1 and perSecond >= 0, got " + capacity + ", " + perSecond);
        }
        this.capacity = capacity;
        this.perMs = perSecond / 1000.0;
        this.tokens = capacity;
    }

    /** Takes one token at {@code nowMs} if there is one. Time going backwards refills nothing. */
    public boolean tryAcquire(long nowMs) {
        if (lastMs != Long.MIN_VALUE && nowMs > lastMs) {
            tokens = Math.min(capacity, tokens + (nowMs - lastMs) * perMs);
        }
        lastMs = lastMs == Long.MIN_VALUE ? nowMs : Math.max(lastMs, nowMs);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Tokens available at the last call. */
    public double tokens() {
        return tokens;
    }
}
