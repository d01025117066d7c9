package dev.foreshadow.models.anomaly;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;

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
 * own format byte by {@link #write(DataOutputStream)}. Not thread-safe.
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
        double[] query = new double[window];
        double queryMean = 0;
        for (int i = 0; i < window; i++) {
            query[i] = memory[Math.floorMod(next - window + i, n)];
            queryMean += query[i];
        }
        queryMean /= window;
        for (int i = 0; i < window; i++) {
            query[i] -= queryMean;
        }
        double best = Double.MAX_VALUE;
        // an earlier window ends `back` steps before the query's last step, without overlapping it
        for (int back = window; back + window <= available; back++) {
            int first = next - back - window;
            double m = 0;
            for (int i = 0; i < window; i++) {
                m += memory[Math.floorMod(first + i, n)];
            }
            m /= window;
            double s = 0;
            for (int i = 0; i < window && s < best; i++) {
                double e = query[i] - (memory[Math.floorMod(first + i, n)] - m);
                s += e * e;
            }
            best = Math.min(best, s);
        }
        return Math.sqrt(best / window);
    }

    /** Values fed so far. */
    long points() {
        return steps * step + inStep;
    }

    /** Writes the state, format byte first. */
    void write(DataOutputStream out) throws IOException {
        out.writeByte(FORMAT);
        out.writeInt(window);
        out.writeInt(step);
        out.writeInt(memory.length);
        out.writeDouble(longRate);
        for (float f : memory) {
            out.writeFloat(f);
        }
        out.writeInt(next);
        out.writeLong(steps);
        out.writeDouble(sum);
        out.writeInt(inStep);
        out.writeLong(judged);
        out.writeDouble(mean);
        out.writeDouble(variance);
    }

    /** Reads what {@link #write} wrote; an unknown format is refused. */
    static ShapeView read(DataInputStream in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown shape view format " + format);
        }
        ShapeView v = new ShapeView(in.readInt(), in.readInt(), in.readInt(), in.readDouble());
        for (int i = 0; i < v.memory.length; i++) {
            v.memory[i] = in.readFloat();
        }
        v.next = in.readInt();
        v.steps = in.readLong();
        v.sum = in.readDouble();
        v.inStep = in.readInt();
        v.judged = in.readLong();
        v.mean = in.readDouble();
        v.variance = in.readDouble();
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
