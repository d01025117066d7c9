package dev.foreshadow.models.anomaly;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

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

    private TokenBucket(double capacity, double perMs, double tokens, long lastMs) {
        this.capacity = capacity;
        this.perMs = perMs;
        this.tokens = tokens;
        this.lastMs = lastMs;
    }

    /**
     * When the bucket is full again if nothing more is taken (it is then the same as a new one), or
     * {@code Long.MAX_VALUE} when it never refills.
     */
    public long fullAtMs() {
        if (tokens >= capacity) {
            return lastMs;
        }
        return perMs > 0 ? lastMs + (long) Math.ceil((capacity - tokens) / perMs) : Long.MAX_VALUE;
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

    private static final byte FORMAT = 1;

    /** A compact, versioned snapshot (for keyed state); {@link #fromBytes} restores it. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(33);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeDouble(capacity);
            out.writeDouble(perMs);
            out.writeDouble(tokens);
            out.writeLong(lastMs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The bucket {@link #toBytes()} wrote; an unknown format is refused. */
    public static TokenBucket fromBytes(byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown token bucket format " + format);
            }
            return new TokenBucket(
                    in.readDouble(), in.readDouble(), in.readDouble(), in.readLong());
        } catch (IOException e) {
            throw new IllegalArgumentException("a truncated token bucket snapshot", e);
        }
    }
}
