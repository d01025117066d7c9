package dev.foreshadow.models.anomaly;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Turns a stream of scores for one key into incidents, so an operator gets one alert per episode
 * rather than one per sample. Input: {@code (time, score)} in time order; output: a {@link
 * Transition} per observation. An incident opens at the first score at or above the threshold,
 * stays open while high scores keep coming, and closes once no high score has been seen for {@code
 * quietMs} (checked on the next observation, or from a timer via {@link #closeIfQuiet(long)}). A
 * plain serialisable value: keep one per key in Flink state.
 */
public final class IncidentTracker implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What an observation did. */
    public enum Transition {
        /** Nothing open, nothing opened. */
        NONE,
        /** A new incident opened: alert now. */
        OPENED,
        /** A high score inside an open incident: fold into it, do not alert again. */
        CONTINUED,
        /** The open incident closed (quiet for long enough); this observation opened nothing. */
        CLOSED
    }

    private final double threshold;
    private final long quietMs;
    private boolean open;
    private long openedAtMs;
    private long lastHighMs;
    private double peak;
    private int highCount;

    public IncidentTracker(double threshold, long quietMs) {
        if (quietMs <= 0) {
            throw new IllegalArgumentException("quietMs must be positive, got " + quietMs);
        }
        this.threshold = threshold;
        this.quietMs = quietMs;
    }

    /** Records one score; a high score after a closed (or quiet) incident opens a new one. */
    public Transition observe(long timeMs, double score) {
        boolean closed = closeIfQuiet(timeMs);
        if (score < threshold) {
            return closed ? Transition.CLOSED : Transition.NONE;
        }
        if (open) {
            lastHighMs = timeMs;
            peak = Math.max(peak, score);
            highCount++;
            return Transition.CONTINUED;
        }
        open = true;
        openedAtMs = timeMs;
        lastHighMs = timeMs;
        peak = score;
        highCount = 1;
        return Transition.OPENED;
    }

    /**
     * Closes the open incident when {@code nowMs} is {@code quietMs} past its last high score; true
     * if it closed.
     */
    public boolean closeIfQuiet(long nowMs) {
        if (open && nowMs - lastHighMs >= quietMs) {
            open = false;
            return true;
        }
        return false;
    }

    public boolean isOpen() {
        return open;
    }

    /** When the current (or last) incident opened. */
    public long openedAtMs() {
        return openedAtMs;
    }

    /** When a timer should check for quiet: {@code quietMs} after the last high score. */
    public long quietDeadlineMs() {
        return lastHighMs + quietMs;
    }

    /** The highest score of the current (or last) incident. */
    public double peak() {
        return peak;
    }

    /** High scores folded into the current (or last) incident. */
    public int highCount() {
        return highCount;
    }

    private static final byte FORMAT = 1;

    /** A compact, versioned snapshot (for keyed state); {@link #fromBytes} restores it. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(42);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeDouble(threshold);
            out.writeLong(quietMs);
            out.writeBoolean(open);
            out.writeLong(openedAtMs);
            out.writeLong(lastHighMs);
            out.writeDouble(peak);
            out.writeInt(highCount);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The tracker {@link #toBytes()} wrote; an unknown format is refused. */
    public static IncidentTracker fromBytes(byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown incident tracker format " + format);
            }
            IncidentTracker t = new IncidentTracker(in.readDouble(), in.readLong());
            t.open = in.readBoolean();
            t.openedAtMs = in.readLong();
            t.lastHighMs = in.readLong();
            t.peak = in.readDouble();
            t.highCount = in.readInt();
            return t;
        } catch (IOException e) {
            throw new IllegalArgumentException("a truncated incident tracker snapshot", e);
        }
    }
}
