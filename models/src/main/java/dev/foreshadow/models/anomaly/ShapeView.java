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
 *       earlier mean-removed window of the memory that does not overlap it;
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
     * Not state, rebuilt on use: the memory's values and the means of its windows, each twice over
     * ({@code [j % history]} and {@code [j % history + history]} for step or window j), so that the
     * memory oldest first, and its windows' means, lie in one run of each array wherever the ring
     * stands; each window's mean is the same sum of the same values at every discord until it
     * leaves the memory, so it is summed once, for the windows of steps {@code [meansFrom,
     * meansTo)}.
     */
    private transient double[] values;

    private transient double[] windowMeans;

    /** {@link #steps} when {@link #values} last took the memory's newest step. */
    private transient long valuesAt;

    private transient long meansFrom;
    private transient long meansTo;

    /** The query (mean removed) and each earlier window's squared distance to it. */
    private transient double[] query;

    private transient double[] distances;

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
        if (values == null || valuesAt != steps - 1) {
            values = new double[2 * n];
            windowMeans = new double[2 * n];
            query = new double[window];
            distances = new double[n];
            meansFrom = 0;
            meansTo = 0;
            for (long j = steps - available; j < steps - 1; j++) {
                int slot = (int) (j % n);
                values[slot] = memory[slot];
                values[slot + n] = memory[slot];
            }
        }
        // the newest step (step j is in memory[j % n])
        int newest = (int) ((steps - 1) % n);
        values[newest] = memory[newest];
        values[newest + n] = memory[newest];
        valuesAt = steps;
        long oldest = steps - available;
        int x = (int) (oldest % n); // values[x + i]: the memory oldest first; the query its end
        int q0 = available - window;
        double queryMean = 0;
        for (int i = 0; i < window; i++) {
            query[i] = values[x + q0 + i];
            queryMean += query[i];
        }
        queryMean /= window;
        for (int i = 0; i < window; i++) {
            query[i] -= queryMean;
        }
        // every earlier window that ends before the query begins: window f starts at values[x + f]
        // and its mean is windowMeans[x + f]
        int candidates = q0 - window + 1;
        for (int f = 0; f < candidates; f++) {
            long k = oldest + f;
            if (k < meansFrom || k >= meansTo) {
                double m = 0;
                for (int i = 0; i < window; i++) {
                    m += values[x + f + i];
                }
                m /= window;
                int slot = (int) (k % n);
                windowMeans[slot] = m;
                windowMeans[slot + n] = m;
            }
        }
        if (candidates <= 0) {
            return Math.sqrt(Double.MAX_VALUE / window);
        }
        meansFrom = oldest;
        meansTo = oldest + candidates;
        // every window's squared distance summed value by value, all windows at once (a loop the
        // compiler can run on vectors), each sum in the same order as one window at a time
        double q = query[0];
        for (int f = 0; f < candidates; f++) {
            double e = q - (values[x + f] - windowMeans[x + f]);
            distances[f] = e * e;
        }
        for (int i = 1; i < window; i++) {
            q = query[i];
            for (int f = 0; f < candidates; f++) {
                double e = q - (values[x + f + i] - windowMeans[x + f]);
                distances[f] += e * e;
            }
        }
        double best = Double.MAX_VALUE;
        for (int f = 0; f < candidates; f++) {
            // values are finite, so no distance is NaN: the same as Math.min(best, distance)
            if (distances[f] < best) {
                best = distances[f];
            }
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
