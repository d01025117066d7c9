package dev.foreshadow.models.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Quantiles of a stream of values: exact while at most {@code capacity} values have been seen, then
 * estimated from a uniform reservoir sample of that many (Vitter's Algorithm R, 1985).
 * Deterministic for a given seed. Small enough for per-minute windows, where counts rarely exceed
 * the capacity; only primitive fields, so it checkpoints cheaply.
 */
public final class Reservoir implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int capacity;
    private double[] values;
    private long seen;

    /**
     * The state of a SplitMix64 generator (Steele et al., 2014): primitive, so the reservoir
     * serialises plainly.
     */
    private long random;

    /**
     * The kept values in ascending order, made at the first quantile and kept in order by each add
     * (a binary search and a move of at most {@code capacity} values), so that asking for a
     * quantile after every add does not sort every time. Not part of the state: rebuilt on use.
     */
    private transient double[] sorted;

    public Reservoir(int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.values = new double[Math.min(capacity, 16)];
        this.random = seed;
    }

    public void add(double value) {
        if (seen < capacity) {
            if (seen == values.length) {
                values = Arrays.copyOf(values, (int) Math.min(capacity, values.length * 2L));
            }
            values[(int) seen] = value;
            if (sorted != null) {
                insertSorted((int) seen, value);
            }
        } else {
            long slot = Math.floorMod(nextRandom(), seen + 1);
            if (slot < capacity) {
                if (sorted != null) {
                    removeSorted(capacity, values[(int) slot]);
                    insertSorted(capacity - 1, value);
                }
                values[(int) slot] = value;
            }
        }
        seen++;
    }

    /** Inserts {@code v} into the first {@code n} sorted values, which become n + 1. */
    private void insertSorted(int n, double v) {
        if (n == sorted.length) {
            sorted = Arrays.copyOf(sorted, Math.min(capacity, Math.max(16, sorted.length * 2)));
        }
        int at = Arrays.binarySearch(sorted, 0, n, v);
        at = at < 0 ? -at - 1 : at;
        System.arraycopy(sorted, at, sorted, at + 1, n - at);
        sorted[at] = v;
    }

    /** Removes one {@code v} from the first {@code n} sorted values, which become n - 1. */
    private void removeSorted(int n, double v) {
        int at = Arrays.binarySearch(sorted, 0, n, v);
        System.arraycopy(sorted, at + 1, sorted, at, n - at - 1);
    }

    private long nextRandom() {
        long z = (random += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long count() {
        return seen;
    }

    /**
     * The q-quantile (0 <= q <= 1) by linear interpolation between closest ranks (Hyndman and Fan's
     * definition 7, the default of R and NumPy); NaN when empty.
     */
    public double quantile(double q) {
        if (q < 0 || q > 1 || Double.isNaN(q)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        int n = (int) Math.min(seen, capacity);
        if (n == 0) {
            return Double.NaN;
        }
        if (sorted == null) {
            sorted = Arrays.copyOf(values, Math.max(n, Math.min(capacity, 16)));
            Arrays.sort(sorted, 0, n);
        }
        double rank = q * (n - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, n - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    private static final byte FORMAT = 1;

    /** A compact, versioned snapshot (for keyed state); {@link #fromBytes} restores it. */
    public byte[] toBytes() {
        int n = (int) Math.min(seen, capacity);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(25 + 8 * n);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(capacity);
            out.writeLong(seen);
            out.writeLong(random);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeDouble(values[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The reservoir {@link #toBytes()} wrote; an unknown format is refused. */
    public static Reservoir fromBytes(byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown reservoir format " + format);
            }
            Reservoir r = new Reservoir(in.readInt(), 0);
            r.seen = in.readLong();
            r.random = in.readLong();
            int n = in.readInt();
            r.values = new double[Math.max(n, Math.min(r.capacity, 16))];
            for (int i = 0; i < n; i++) {
                r.values[i] = in.readDouble();
            }
            return r;
        } catch (IOException e) {
            throw new IllegalArgumentException("a truncated reservoir snapshot", e);
        }
    }
}
