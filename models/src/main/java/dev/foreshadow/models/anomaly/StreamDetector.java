package dev.foreshadow.models.anomaly;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Online anomaly detector for one metric stream. Input: {@code (event time in epoch milliseconds,
 * value)} pairs in time order, one at a time; output: for each point, an anomaly score in [0, 1]
 * computed from the past only (one pass, no look-ahead), 0 during a warm-up of {@link
 * Config#warmupPoints} points (NAB's probationary period).
 *
 * <p>Method, in five steps:
 *
 * <ol>
 *   <li><b>Robust level and spread.</b> The level is an exponentially weighted mean of
 *       Huber-clipped residuals (Huber 1964; the robust exponential smoothing of Gelper, Fried and
 *       Croux, J. Forecasting 2010): a residual larger than {@code c} spreads moves the level by at
 *       most {@code c} spreads, so spikes barely disturb it. The spread is an exponentially
 *       weighted mean absolute deviation of the same clipped residuals, so it is robust too ({@code
 *       1.25} mean absolute deviations approximate one standard deviation of a Gaussian).
 *   <li><b>Seasonality, only when the data shows it.</b> Additive offsets by hour of day (24) and
 *       hour of week (168) are learned like the level (Holt-Winters with robust updates). Three
 *       forecasts compete (level; level + hour of day; level + hour of week) and each point is
 *       judged against the one with the smallest exponentially weighted absolute error so far; a
 *       seasonal forecast may only win once two full periods have been seen.
 *   <li><b>Level shifts.</b> When {@code shiftRun} consecutive residuals exceed {@code shiftZ}
 *       spreads on the same side, the level jumps to the new regime (a CUSUM-like run rule, Page
 *       1954) and the spread is widened, so a lasting shift raises one alarm and is then learned
 *       instead of alarming forever.
 *   <li><b>Anomaly likelihood.</b> Following Ahmad, Lavin, Purdy and Agha (Neurocomputing 2017),
 *       the raw surprise {@code z = |x - forecast| / spread} is averaged over a short window, and
 *       that average is compared with its own long-run mean and deviation (exponentially weighted):
 *       a Gaussian tail gives how unusual the recent surprise is. The score maps that standardised
 *       surprise {@code t} to {@code 1 - 1/(1 + (t/t0)^4)}, and a score that does not exceed the
 *       decayed peak of the current episode is halved, so one incident yields one high score (as
 *       NAB rewards the first detection in a window and charges every false positive).
 *   <li><b>Novelty of the level.</b> As in the record-based and context-novelty detectors of NAB
 *       (e.g. Smirnov's CAD OSE, which flags contexts never seen before), a value beyond the range
 *       of values seen so far scores by how far it lies beyond that range, relative to the range's
 *       width; the range forgets slowly ({@code rangeDecay} per point). A new all-time high or low
 *       is what an operator most often wants to hear about; a recurring spike of a known size is
 *       not. The final score is the larger of the likelihood and novelty scores.
 * </ol>
 *
 * <p>{@link Config#perSample()} mode, for per-action samples where anomalies can be a quarter of
 * all points (as in FlowBench): the spread is a running median absolute deviation (Hampel 1974;
 * estimated by stochastic approximation, Robbins and Monro 1951) instead of the clipped mean, which
 * breaks down under that much contamination, and the score is {@code 1 - 1/(1 + (z/t0)^4)} of the
 * point's own surprise, without steps 4 and 5, which assume rare anomalies.
 *
 * <p>State is a plain serialisable value (primitives and primitive arrays, about 3 KB), so a Flink
 * keyed state can hold one per key; {@link #toBytes()} / {@link #fromBytes(byte[])} give a compact
 * versioned snapshot (for a {@code ValueState<byte[]>}, free of Kryo) and {@link #copy()} an
 * independent copy. Not thread-safe.
 */
public final class StreamDetector implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 24 * HOUR_MS;

    /**
     * The one configuration used for every stream (no per-stream tuning).
     *
     * @param warmupPoints points scored 0 while the model learns
     * @param alpha level smoothing per point
     * @param beta seasonal-offset smoothing per visit of a bin
     * @param spreadRate smoothing of the spreads and forecast errors
     * @param clip Huber clipping, in spreads
     * @param shiftZ, shiftRun level-shift rule: {@code shiftRun} residuals beyond {@code shiftZ}
     *     spreads on one side
     * @param shortWindow points averaged for the recent surprise
     * @param longRate smoothing of the long-run mean and variance of the recent surprise
     * @param t0 standardised surprise that scores 0.5
     * @param episodeDecay per-point decay of the episode peak
     * @param suppress factor applied to a likelihood score that does not exceed the episode peak
     * @param noveltyWindow points averaged before comparing with the range seen so far
     * @param noveltyScale distance beyond the range, as a fraction of its width, that scores 0.5
     * @param rangeDecay per-point factor pulling the range's extremes back towards its middle
     * @param perSample score each point on its own, for frequent anomalies (per-action samples):
     *     the spread is a running median absolute deviation (breakdown point 50%, where the clipped
     *     mean breaks down once about a quarter of the points are anomalous) and the score is the
     *     tail of {@code z} itself, without the likelihood and novelty layers, which assume
     *     anomalies are rare
     */
    public record Config(
            int warmupPoints,
            double alpha,
            double beta,
            double spreadRate,
            double clip,
            double shiftZ,
            int shiftRun,
            int shortWindow,
            double longRate,
            double t0,
            double episodeDecay,
            double suppress,
            int noveltyWindow,
            double noveltyScale,
            double rangeDecay,
            boolean perSample)
            implements Serializable {

        public static final Config DEFAULT =
                new Config(
                        150, 0.05, 0.1, 0.005, 3.0, 4.0, 24, 5, 0.005, 3.0, 0.995, 0.5, 1, 0.002,
                        0.9999, false);
    }

    private final Config config;

    private long points;
    private long firstTimeMs;
    private double level;
    private final double[] dayOffset = new double[24];
    private final double[] weekOffset = new double[168];
    // EW mean absolute (clipped) forecast error of: level, level + hour of day, level + hour of
    // week
    private final double[] error = new double[3];
    // running median absolute forecast error of the same three forecasts (perSample mode)
    private final double[] mad = new double[3];
    private int shiftCount;
    private int shiftSign;
    private final double[] recentZ;
    private int recentNext;
    private double longMean;
    private double longVar;
    private double episodePeak;
    private double hiMax = Double.NaN;
    private double loMin = Double.NaN;
    private final double[] recentValue;
    private int valueNext;
    private double lastExpected = Double.NaN;

    public StreamDetector() {
        this(Config.DEFAULT);
    }

    public StreamDetector(Config config) {
        this.config = config;
        this.recentZ = new double[config.shortWindow()];
        this.recentValue = new double[config.noveltyWindow()];
    }

    /** Feeds one point and returns its anomaly score in [0, 1]. */
    public double score(long timeMs, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return 0;
        }
        if (points == 0) {
            firstTimeMs = timeMs;
            level = value;
            points = 1;
            lastExpected = value;
            return 0;
        }
        int hourOfDay = (int) Math.floorMod(timeMs / HOUR_MS, 24L);
        int dayOfWeek =
                (int)
                        Math.floorMod(
                                Math.floorDiv(timeMs, DAY_MS) + 3, 7L); // 1970-01-01 was a Thursday
        int hourOfWeek = dayOfWeek * 24 + hourOfDay;
        long seen = timeMs - firstTimeMs;

        double[] forecast = {level, level + dayOffset[hourOfDay], level + weekOffset[hourOfWeek]};
        int best = 0;
        if (seen >= 2 * DAY_MS && error[1] < error[best]) {
            best = 1;
        }
        if (seen >= 14 * DAY_MS && error[2] < error[best]) {
            best = 2;
        }
        double floor = 1e-6 * Math.max(1.0, Math.abs(level)) + 1e-9;
        double spread =
                Math.max(config.perSample() ? 1.4826 * mad[best] : 1.25 * error[best], floor);
        double residual = value - forecast[best];
        double z = Math.abs(residual) / spread;
        lastExpected = forecast[best];

        // learn: errors, then level and seasonal offsets, all with clipped residuals
        for (int k = 0; k < 3; k++) {
            double e = Math.abs(value - forecast[k]);
            double cap = config.clip() * Math.max(1.25 * error[k], floor);
            // a running mean at first, exponentially weighted once enough points have been seen
            double rate = Math.max(config.spreadRate(), 1.0 / points);
            error[k] += rate * ((points < 10 ? e : Math.min(e, cap)) - error[k]);
            // running median of |e| by stochastic approximation with multiplicative steps
            // (scale-free)
            if (points < 10 || mad[k] <= 0) {
                mad[k] = error[k];
            } else {
                mad[k] *= Math.exp(4 * config.spreadRate() * (e > mad[k] ? 1 : -1));
            }
        }
        double clipAt = config.clip() * spread;
        double seasonal = forecast[best] - level;
        level += config.alpha() * clamp(value - seasonal - level, clipAt);
        double deseasoned = value - level;
        dayOffset[hourOfDay] += config.beta() * clamp(deseasoned - dayOffset[hourOfDay], clipAt);
        weekOffset[hourOfWeek] +=
                config.beta() * clamp(deseasoned - weekOffset[hourOfWeek], clipAt);

        int sign = residual > 0 ? 1 : -1;
        if (z > config.shiftZ() && sign == shiftSign) {
            shiftCount++;
        } else {
            shiftCount = z > config.shiftZ() ? 1 : 0;
            shiftSign = sign;
        }
        if (shiftCount >= config.shiftRun()) {
            level = value - seasonal;
            for (int k = 0; k < 3; k++) {
                error[k] = Math.max(error[k], Math.abs(residual) / config.clip());
            }
            shiftCount = 0;
        }

        // anomaly likelihood of the recent surprise
        recentZ[recentNext] = Math.min(z, 50);
        recentNext = (recentNext + 1) % recentZ.length;
        double recent = 0;
        for (double r : recentZ) {
            recent += r;
        }
        recent /= recentZ.length;
        points++;
        // the surprise statistics start once the spread has had half the warm-up to settle
        long settled = points - config.warmupPoints() / 2;
        if (settled <= 1) {
            longMean = recent;
            longVar = 0;
        }
        double sd = Math.sqrt(longVar) + 0.1;
        double t = (recent - longMean) / sd;
        double d = recent - longMean;
        double rate = settled <= 1 ? 1 : Math.max(config.longRate(), 1.0 / settled);
        longMean += rate * d;
        longVar = (1 - rate) * (longVar + rate * d * d);

        if (config.perSample()) {
            double raw = 1 - 1 / (1 + Math.pow(z / config.t0(), 4));
            return points <= config.warmupPoints() ? 0 : raw;
        }
        double s = t <= 0 ? 0 : 1 - 1 / (1 + Math.pow(t / config.t0(), 4));
        double decayedPeak = episodePeak * config.episodeDecay();
        episodePeak = Math.max(decayedPeak, s);
        if (s <= decayedPeak) {
            s *= config.suppress();
        }
        s = Math.max(s, novelty(value, spread));
        return points <= config.warmupPoints() ? 0 : s;
    }

    /**
     * How far the recent mean leaves the range of recent means seen so far, as a score in [0, 1].
     */
    private double novelty(double value, double spread) {
        recentValue[valueNext] = value;
        valueNext = (valueNext + 1) % recentValue.length;
        double m = 0;
        for (double r : recentValue) {
            m += r;
        }
        m /= Math.min(points, recentValue.length);
        if (points <= config.warmupPoints() || Double.isNaN(hiMax)) {
            hiMax = Double.isNaN(hiMax) ? m : Math.max(hiMax, m);
            loMin = Double.isNaN(loMin) ? m : Math.min(loMin, m);
            return 0;
        }
        double range = Math.max(hiMax - loMin, 1e-9 + 1e-6 * Math.abs(hiMax));
        // beyond the range by more than noise (one spread), relative to the range's width
        double beyond = (Math.max(m - hiMax, loMin - m) - spread) / range / config.noveltyScale();
        double mid = (hiMax + loMin) / 2;
        hiMax = Math.max(hiMax, m);
        loMin = Math.min(loMin, m);
        // old extremes are forgotten slowly, so a level that was normal long ago may be new again
        hiMax -= (1 - config.rangeDecay()) * (hiMax - mid);
        loMin -= (1 - config.rangeDecay()) * (loMin - mid);
        return beyond <= 0 ? 0 : 1 - 1 / (1 + beyond * beyond);
    }

    /** The forecast the last point was judged against (its expected value). */
    public double lastExpected() {
        return lastExpected;
    }

    /** Points seen so far. */
    public long points() {
        return points;
    }

    private static final byte FORMAT = 1;

    /**
     * A compact, versioned snapshot of configuration and state; {@link #fromBytes(byte[])} restores
     * it.
     */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2400);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            Config c = config;
            out.writeInt(c.warmupPoints());
            for (double d :
                    new double[] {c.alpha(), c.beta(), c.spreadRate(), c.clip(), c.shiftZ()}) {
                out.writeDouble(d);
            }
            out.writeInt(c.shiftRun());
            out.writeInt(c.shortWindow());
            for (double d : new double[] {c.longRate(), c.t0(), c.episodeDecay(), c.suppress()}) {
                out.writeDouble(d);
            }
            out.writeInt(c.noveltyWindow());
            out.writeDouble(c.noveltyScale());
            out.writeDouble(c.rangeDecay());
            out.writeBoolean(c.perSample());
            out.writeLong(points);
            out.writeLong(firstTimeMs);
            out.writeDouble(level);
            for (double[] a :
                    new double[][] {dayOffset, weekOffset, error, mad, recentZ, recentValue}) {
                for (double d : a) {
                    out.writeDouble(d);
                }
            }
            out.writeInt(shiftCount);
            out.writeInt(shiftSign);
            out.writeInt(recentNext);
            out.writeInt(valueNext);
            for (double d :
                    new double[] {longMean, longVar, episodePeak, hiMax, loMin, lastExpected}) {
                out.writeDouble(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Restores a detector from {@link #toBytes()}; throws {@link IllegalArgumentException} on
     * another format.
     */
    public static StreamDetector fromBytes(byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown detector snapshot format " + format);
            }
            Config c =
                    new Config(
                            in.readInt(),
                            in.readDouble(),
                            in.readDouble(),
                            in.readDouble(),
                            in.readDouble(),
                            in.readDouble(),
                            in.readInt(),
                            in.readInt(),
                            in.readDouble(),
                            in.readDouble(),
                            in.readDouble(),
                            in.readDouble(),
                            in.readInt(),
                            in.readDouble(),
                            in.readDouble(),
                            in.readBoolean());
            StreamDetector d = new StreamDetector(c);
            d.points = in.readLong();
            d.firstTimeMs = in.readLong();
            d.level = in.readDouble();
            for (double[] a :
                    new double[][] {
                        d.dayOffset, d.weekOffset, d.error, d.mad, d.recentZ, d.recentValue
                    }) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readDouble();
                }
            }
            d.shiftCount = in.readInt();
            d.shiftSign = in.readInt();
            d.recentNext = in.readInt();
            d.valueNext = in.readInt();
            d.longMean = in.readDouble();
            d.longVar = in.readDouble();
            d.episodePeak = in.readDouble();
            d.hiMax = in.readDouble();
            d.loMin = in.readDouble();
            d.lastExpected = in.readDouble();
            return d;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated detector snapshot", e);
        }
    }

    /** An independent copy of this detector's state. */
    public StreamDetector copy() {
        StreamDetector c = new StreamDetector(config);
        c.points = points;
        c.firstTimeMs = firstTimeMs;
        c.level = level;
        System.arraycopy(dayOffset, 0, c.dayOffset, 0, dayOffset.length);
        System.arraycopy(weekOffset, 0, c.weekOffset, 0, weekOffset.length);
        System.arraycopy(error, 0, c.error, 0, error.length);
        System.arraycopy(mad, 0, c.mad, 0, mad.length);
        c.shiftCount = shiftCount;
        c.shiftSign = shiftSign;
        System.arraycopy(recentZ, 0, c.recentZ, 0, recentZ.length);
        c.recentNext = recentNext;
        c.longMean = longMean;
        c.longVar = longVar;
        c.episodePeak = episodePeak;
        c.lastExpected = lastExpected;
        System.arraycopy(recentValue, 0, c.recentValue, 0, recentValue.length);
        c.valueNext = valueNext;
        c.hiMax = hiMax;
        c.loMin = loMin;
        return c;
    }

    private static double clamp(double x, double limit) {
        return Math.max(-limit, Math.min(limit, x));
    }
}
