package dev.foreshadow.models.anomaly;

import java.io.Serializable;
import java.nio.ByteBuffer;

/**
 * The second view of a stream: how unlike anything in its recent past the stream's latest shape is,
 * whatever its level. Input: the values of one stream in time order; output: per value, a score in
 * [0, 1] on the anomaly-likelihood scale of {@link StreamDetector} (0 while it fills its memory,
 * and for values that do not complete a step).
 *
 * <p>Method: a streaming discord, the online "left matrix profile" of Yeh et al. (Matrix Profile I,
 * ICDM 2016) and of DAMP (Lu, Wu, Mueen, Zuluaga and Keogh, KDD 2022), which scores each new
 * subsequence by its distance to its nearest neighbour among the subsequences before it, over a
 * bounded memory:
 *
 * <ol>
 *   <li>values are averaged in steps of {@code step} points (piecewise aggregate approximation,
 *       Keogh et al. 2001), so that a memory of {@code history} steps spans {@code step x history}
 *       points (3.5 days of 5-minute points by default);
 *   <li>the latest {@code window} steps form the query; its mean is removed (the level is the first
 *       view's concern), but not its scale, so a burst of variance or a new rhythm is far from
 *       every earlier window while a level shift of the same shape is not;
 *   <li>the discord {@code d} is the smallest root-mean-square distance from the query to every
 *       earlier mean-removed window of the memory that does not overlap it (early abandoning);
 *   <li>{@code d} is judged against its own long-run mean and variance (exponentially weighted),
 *       and its Gaussian tail is reported on Numenta's log scale, as the first view's anomaly
 *       likelihood (Ahmad et al. 2017), so the two views' scores are calibrated alike and can be
 *       combined by their maximum.
 * </ol>
 *
 * <p>State: {@code history} floats and a few numbers (about 1 KB for 256 steps), written with its
 * own format byte by {@link #write(ByteBuffer)}. Not thread-safe.
 */
final class ShapeView implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final byte FORMAT = 1;

    private final int window;
    private final int step;
    private final double longRate;

    // the last steps' means, a ring: the slot to write next is `next`
    private final float[] memory;
    private int next;
    private long steps;
    // the step being averaged
    private double sum;
    private int inStep;
    // long-run mean and variance of the discord
    private long judged;
    private double mean;
    private double variance;

    /**
     * The mean of the window of steps starting at step k, at {@code windowMeans[k % history]} for
     * every k in {@code [meansFrom, meansTo)}: each window's mean is the same sum of the same
     * values at every discord until it leaves the memory, so it is summed once. Not state: rebuilt
     * on use.
     */
    private transient double[] windowMeans;

    private transient long meansFrom;
    private transient long meansTo;

    /** The memory oldest first and the query, laid out again at every discord (not state). */
    private transient double[] x;

    private transient double[] query;

    /**
     * @param window steps per compared subsequence
     * @param step points averaged into one step
     * @param history steps remembered
     * @param longRate smoothing of the discord's long-run mean and variance
     */
    ShapeView(int window, int step, int history, double longRate) {
        if (window < 2 || step < 1 || history < 3 * window) {
            throw new IllegalArgumentException(
                    "a shape view needs window >= 2, step >= 1 and history >= 3 windows, got "
                            + window
                            + ", "
                            + step
                            + ", "
                            + history);
        }
        this.window = window;
        this.step = step;
        this.longRate = longRate;
        this.memory = new float[history];
    }

    /** Feeds one finite value; returns its score in [0, 1]. */
    double score(double value) {
        sum += value;
        if (++inStep < step) {
            return 0;
        }
        memory[next] = (float) (sum / step);
        next = (next + 1) % memory.length;
        steps++;
        sum = 0;
        inStep = 0;
        if (steps < 3L * window) {
            return 0;
        }
        double d = discord();
        judged++;
        if (judged == 1) {
            mean = d;
            variance = 0;
            return 0;
        }
        double t = (d - mean) / Math.sqrt(Math.max(variance, 1e-12 * (1 + mean * mean)));
        double likelihood = 1 - 0.5 * StreamDetector.erfc(t / Math.sqrt(2));
        double s = Math.log(1.0000000001 - likelihood) / Math.log(1e-10);
        double rate = Math.max(longRate, 1.0 / judged);
        double delta = d - mean;
        mean += rate * delta;
        variance = (1 - rate) * (variance + rate * delta * delta);
        return Math.max(0, Math.min(1, s));
    }

    /** Root-mean-square distance from the latest mean-removed window to its nearest earlier one. */
    private double discord() {
        int n = memory.length;
        int available = (int) Math.min(steps, n);
        if (windowMeans == null) {
            windowMeans = new double[n];
            meansFrom = 0;
            meansTo = 0;
            x = new double[n];
            query = new double[window];
        }
        // the memory oldest first; the query is its last window
        int slot = next - available < 0 ? next - available + n : next - available;
        for (int i = 0; i < available; i++) {
            x[i] = memory[slot];
            slot = slot + 1 == n ? 0 : slot + 1;
        }
        int q0 = available - window;
        double queryMean = 0;
        for (int i = 0; i < window; i++) {
            query[i] = x[q0 + i];
            queryMean += query[i];
        }
        queryMean /= window;
        for (int i = 0; i < window; i++) {
            query[i] -= queryMean;
        }
        long oldest = steps - available; // the step of x[0]
        double best = Double.MAX_VALUE;
        // every earlier window that ends before the query begins, nearest first; the slot of
        // window k's mean is k % n
        int first = q0 - window;
        int meanSlot = first >= 0 ? (int) ((oldest + first) % n) : 0;
        for (; first >= 0; first--) {
            long k = oldest + first;
            double m;
            if (k >= meansFrom && k < meansTo) {
                m = windowMeans[meanSlot];
            } else {
                m = 0;
                for (int i = 0; i < window; i++) {
                    m += x[first + i];
                }
                m /= window;
                windowMeans[meanSlot] = m;
            }
            double s = 0;
            for (int i = 0; i < window && s < best; i++) {
                double e = query[i] - (x[first + i] - m);
                s += e * e;
            }
            // values are finite, so s is never NaN: the same as Math.min(best, s)
            if (s < best) {
                best = s;
            }
            meanSlot = meanSlot == 0 ? n - 1 : meanSlot - 1;
        }
        if (q0 - window >= 0) {
            meansFrom = oldest;
            meansTo = oldest + q0 - window + 1;
        }
        return Math.sqrt(best / window);
    }

    /** Values fed so far. */
    long points() {
        return steps * step + inStep;
    }

    /** Bytes {@link #write} writes. */
    int snapshotBytes() {
        return 1 + 4 * 3 + 8 + 4 * memory.length + 4 + 8 + 8 + 4 + 8 + 8 + 8;
    }

    /** Writes the state, format byte first. */
    void write(ByteBuffer out) {
        out.put(FORMAT);
        out.putInt(window);
        out.putInt(step);
        out.putInt(memory.length);
        out.putDouble(longRate);
        for (float f : memory) {
            out.putFloat(f);
        }
        out.putInt(next);
        out.putLong(steps);
        out.putDouble(sum);
        out.putInt(inStep);
        out.putLong(judged);
        out.putDouble(mean);
        out.putDouble(variance);
    }

    /** Reads what {@link #write} wrote; an unknown format is refused. */
    static ShapeView read(ByteBuffer in) {
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown shape view format " + format);
        }
        ShapeView v = new ShapeView(in.getInt(), in.getInt(), in.getInt(), in.getDouble());
        for (int i = 0; i < v.memory.length; i++) {
            v.memory[i] = in.getFloat();
        }
        v.next = in.getInt();
        v.steps = in.getLong();
        v.sum = in.getDouble();
        v.inStep = in.getInt();
        v.judged = in.getLong();
        v.mean = in.getDouble();
        v.variance = in.getDouble();
        return v;
    }

    /** An independent copy. */
    ShapeView copy() {
        ShapeView c = new ShapeView(window, step, memory.length, longRate);
        System.arraycopy(memory, 0, c.memory, 0, memory.length);
        c.next = next;
        c.steps = steps;
        c.sum = sum;
        c.inStep = inStep;
        c.judged = judged;
        c.mean = mean;
        c.variance = variance;
        return c;
    }
}
