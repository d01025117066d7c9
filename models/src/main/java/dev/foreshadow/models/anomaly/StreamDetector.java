package dev.foreshadow.models.anomaly;

import java.io.Serializable;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

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
 *   <li><b>Raw surprise.</b> The point's distance from the forecast in spreads, {@code z}, becomes
 *       a raw anomaly score {@code 1 - exp(-z^2 / (2 s^2))} in [0, 1) ({@code s} = {@link
 *       Config#rawScale}), the role HTM's prediction error plays in Numenta's detector.
 *   <li><b>Anomaly likelihood</b> (Ahmad, Lavin, Purdy and Agha, "Unsupervised real-time anomaly
 *       detection for streaming data", Neurocomputing 2017): the mean raw score over the last
 *       {@link Config#shortWindow} points is compared with the long-run mean and variance of that
 *       same mean (exponentially weighted); its Gaussian tail gives the likelihood {@code L} that
 *       the recent surprise is unusual, reported on their log scale {@code log(1.0000000001 - L) /
 *       log(1e-10)}. A point outside the range of all values seen so far by more than {@link
 *       Config#spatialTolerance} of that range scores 1 (the "spatial anomaly" rule of Numenta's
 *       NAB detector), and so does a point inside the range with no value seen within that
 *       tolerance of it: the same rule applied to the gaps between the values seen, tracked in 100
 *       bins of the range.
 *   <li><b>One high score per episode.</b> A score that does not exceed the peak of the current
 *       episode (which decays per point) is multiplied by {@link Config#suppress}, so one incident
 *       yields one high score, as one alert per incident should (and as NAB, which pays for the
 *       first detection in a window and charges every false positive, rewards).
 * </ol>
 *
 * <p><b>A second view, of shape</b> ({@link ShapeView}: a streaming discord over a bounded memory,
 * after the matrix profile of Yeh et al. 2016 and DAMP, Lu et al. 2022) sees what a
 * level-and-spread model cannot: a burst of variance, a new rhythm. Its score is the tail of its
 * own long-run distribution on the same log scale as step 4, so the two are calibrated alike and
 * combined by their maximum before step 5. In {@link Config#perSample()} mode the combination is a
 * vote: the shape score counts only for a sample the level view finds at least {@code t0} spreads
 * off (a score of 0.5), so the shape of a stream of frequent anomalies never alerts on its own.
 *
 * <p>An optional run rule for level shifts (Page's CUSUM in spirit, 1954): when {@code shiftRun}
 * consecutive residuals exceed {@code shiftZ} spreads on the same side, the level jumps to the new
 * regime and the spread widens ({@code shiftRun = 0} turns it off, as in {@link Config#DEFAULT}).
 *
 * <p>{@link Config#perSample()} mode, for per-action samples where anomalies can be a quarter of
 * all points (as in FlowBench): the spread is a running median absolute deviation (Hampel 1974;
 * estimated by stochastic approximation, Robbins and Monro 1951) instead of the clipped mean, which
 * breaks down under that much contamination, the level-shift rule is on, and the score is {@code 1
 * - 1/(1 + (z/t0)^4)} of the point's own surprise, without steps 4 and 5, which assume rare
 * anomalies.
 *
 * <p>How each step was chosen, and what it scored on data held out of its development, is in
 * docs/ANOMALIES.md.
 *
 * <p>State is a plain serialisable value (primitives and primitive arrays, about 3 KB with the
 * second view's memory), so a Flink keyed state can hold one per key; {@link #toBytes()} / {@link
 * #fromBytes(byte[])} give a compact versioned snapshot (for a {@code ValueState<byte[]>}, free of
 * Kryo; snapshots of the two earlier formats are read too, the second view then starting empty) and
 * {@link #copy()} an independent copy. Not thread-safe.
 */
public final class StreamDetector implements Serializable {

    private static final long serialVersionUID = 2L;
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
     *     spreads on one side ({@code shiftRun = 0}: no rule)
     * @param shortWindow points averaged for the recent surprise
     * @param longRate smoothing of the long-run mean and variance of the recent surprise
     * @param t0 per-sample mode: the surprise {@code z} that scores 0.5
     * @param rawScale the {@code z} whose raw score is {@code 1 - e^(-1/2)}
     * @param spatialTolerance fraction of the range seen so far by which a value must leave it to
     *     score 1
     * @param episodeDecay per-point decay of the episode peak
     * @param suppress factor applied to a score that does not exceed the episode peak
     * @param perSample score each point on its own, for frequent anomalies (per-action samples):
     *     the spread is a running median absolute deviation (breakdown point 50%, where the clipped
     *     mean breaks down once about a quarter of the points are anomalous) and the score is the
     *     tail of {@code z} itself, without the likelihood and episode layers, which assume
     *     anomalies are rare
     * @param shapeWindow, shapeStep, shapeHistory the second view ({@link ShapeView}): steps per
     *     compared window, points per step and steps remembered ({@code shapeWindow = 0}: no second
     *     view)
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
            double rawScale,
            double spatialTolerance,
            double episodeDecay,
            double suppress,
            boolean perSample,
            int shapeWindow,
            int shapeStep,
            int shapeHistory,
            double runZ)
            implements Serializable {

        public static final Config DEFAULT =
                builder()
                        .warmupPoints(150)
                        .alpha(0.05)
                        .beta(0.1)
                        .spreadRate(0.005)
                        .clip(3.0)
                        .shiftZ(4.0)
                        .shiftRun(0)
                        .shortWindow(10)
                        .longRate(0.001)
                        .t0(3.0)
                        .rawScale(4.0)
                        .spatialTolerance(0.05)
                        .episodeDecay(0.995)
                        .suppress(0.5)
                        .perSample(false)
                        .shapeWindow(12)
                        .shapeStep(4)
                        .shapeHistory(256)
                        .runZ(0)
                        .build();

        public static Builder builder() {
            return new Builder();
        }

        /** A builder holding this configuration, to change some of it by name. */
        public Builder toBuilder() {
            return builder()
                    .warmupPoints(warmupPoints)
                    .alpha(alpha)
                    .beta(beta)
                    .spreadRate(spreadRate)
                    .clip(clip)
                    .shiftZ(shiftZ)
                    .shiftRun(shiftRun)
                    .shortWindow(shortWindow)
                    .longRate(longRate)
                    .t0(t0)
                    .rawScale(rawScale)
                    .spatialTolerance(spatialTolerance)
                    .episodeDecay(episodeDecay)
                    .suppress(suppress)
                    .perSample(perSample)
                    .shapeWindow(shapeWindow)
                    .shapeStep(shapeStep)
                    .shapeHistory(shapeHistory)
                    .runZ(runZ);
        }

        /** Names every field of a {@link Config}; see the record's parameters for each. */
        public static final class Builder {
            private int warmupPoints;
            private double alpha;
            private double beta;
            private double spreadRate;
            private double clip;
            private double shiftZ;
            private int shiftRun;
            private int shortWindow;
            private double longRate;
            private double t0;
            private double rawScale;
            private double spatialTolerance;
            private double episodeDecay;
            private double suppress;
            private boolean perSample;
            private int shapeWindow;
            private int shapeStep;
            private int shapeHistory;
            private double runZ;

            private Builder() {}

            public Builder warmupPoints(int v) {
                warmupPoints = v;
                return this;
            }

            public Builder alpha(double v) {
                alpha = v;
                return this;
            }

            public Builder beta(double v) {
                beta = v;
                return this;
            }

            public Builder spreadRate(double v) {
                spreadRate = v;
                return this;
            }

            public Builder clip(double v) {
                clip = v;
                return this;
            }

            public Builder shiftZ(double v) {
                shiftZ = v;
                return this;
            }

            public Builder shiftRun(int v) {
                shiftRun = v;
                return this;
            }

            public Builder shortWindow(int v) {
                shortWindow = v;
                return this;
            }

            public Builder longRate(double v) {
                longRate = v;
                return this;
            }

            public Builder t0(double v) {
                t0 = v;
                return this;
            }

            public Builder rawScale(double v) {
                rawScale = v;
                return this;
            }

            public Builder spatialTolerance(double v) {
                spatialTolerance = v;
                return this;
            }

            public Builder episodeDecay(double v) {
                episodeDecay = v;
                return this;
            }

            public Builder suppress(double v) {
                suppress = v;
                return this;
            }

            public Builder perSample(boolean v) {
                perSample = v;
                return this;
            }

            public Builder shapeWindow(int v) {
                shapeWindow = v;
                return this;
            }

            public Builder shapeStep(int v) {
                shapeStep = v;
                return this;
            }

            public Builder shapeHistory(int v) {
                shapeHistory = v;
                return this;
            }

            public Builder runZ(double v) {
                runZ = v;
                return this;
            }

            public Config build() {
                return new Config(
                        warmupPoints,
                        alpha,
                        beta,
                        spreadRate,
                        clip,
                        shiftZ,
                        shiftRun,
                        shortWindow,
                        longRate,
                        t0,
                        rawScale,
                        spatialTolerance,
                        episodeDecay,
                        suppress,
                        perSample,
                        shapeWindow,
                        shapeStep,
                        shapeHistory,
                        runZ);
            }
        }
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
    private final double[] recentRaw;
    private int recentNext;
    private double longMean;
    private double longVar;
    private double episodePeak;
    private double lowest = Double.NaN;
    private double highest = Double.NaN;
    // which hundredths of [lowest, highest] hold a value seen so far (bit i: the i-th hundredth)
    private final long[] seenBins = new long[2];
    private double lastExpected = Double.NaN;
    // the second view, or null when the configuration has none
    private ShapeView shape;
    // per-sample mode: the signed surprise (z, + above) of the last three samples, latest first
    private final double[] lastZ = new double[3];

    public StreamDetector() {
        this(Config.DEFAULT);
    }

    public StreamDetector(Config config) {
        this.config = config;
        this.recentRaw = new double[config.shortWindow()];
        this.shape = newShape(config);
    }

    private static ShapeView newShape(Config c) {
        return c.shapeWindow() == 0
                ? null
                : new ShapeView(c.shapeWindow(), c.shapeStep(), c.shapeHistory(), c.longRate());
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
            lowest = value;
            highest = value;
            markSeen(value);
            if (shape != null) {
                shape.score(value);
            }
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

        if (config.shiftRun() > 0) {
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
        }
        points++;
        lastZ[2] = lastZ[1];
        lastZ[1] = lastZ[0];
        lastZ[0] = residual > 0 ? z : -z;
        double shaped = shape == null ? 0 : shape.score(value);
        if (config.perSample()) {
            double raw = 1 - 1 / (1 + Math.pow(z / config.t0(), 4));
            // the vote: the shape view may raise a sample the level view finds at least t0
            // deviations off
            if (raw >= 0.5) {
                raw = Math.max(raw, shaped);
            }
            return points <= config.warmupPoints() ? 0 : raw;
        }

        // anomaly likelihood of the recent raw surprise
        double raw = 1 - Math.exp(-z * z / (2 * config.rawScale() * config.rawScale()));
        recentRaw[recentNext] = raw;
        recentNext = (recentNext + 1) % recentRaw.length;
        double recent = 0;
        for (double r : recentRaw) {
            recent += r;
        }
        recent /= recentRaw.length;
        // the surprise statistics start once the spread has had half the warm-up to settle
        long settled = points - config.warmupPoints() / 2;
        double s = 0;
        if (settled <= 1) {
            longMean = recent;
            longVar = 0;
        } else {
            double t = (recent - longMean) / Math.sqrt(Math.max(longVar, 1e-8));
            double likelihood = 1 - 0.5 * erfc(t / Math.sqrt(2));
            s = Math.log(1.0000000001 - likelihood) / Math.log(1e-10);
            double d = recent - longMean;
            double rate = Math.max(config.longRate(), 1.0 / settled);
            longMean += rate * d;
            longVar = (1 - rate) * (longVar + rate * d * d);
        }
        if (points > config.warmupPoints()) {
            double tolerance = config.spatialTolerance() * (highest - lowest);
            if (value > highest + tolerance || value < lowest - tolerance || isGap(value)) {
                s = 1;
            }
        }
        if (value < lowest || value > highest) {
            widenRange(Math.min(lowest, value), Math.max(highest, value));
        }
        markSeen(value);
        // the two views, calibrated alike (tails of their own long-run distributions): the larger
        s = Math.max(0, Math.min(1, Math.max(s, shaped)));
        // a score that is not a new high of the episode is damped; comparing with the peak before
        // this point's decay also damps a run of saturated scores (1, 1, 1, ...)
        double peakBefore = episodePeak;
        episodePeak = Math.max(peakBefore * config.episodeDecay(), s);
        if (s <= peakBefore && peakBefore > 0) {
            s *= config.suppress();
        }
        return points <= config.warmupPoints() ? 0 : s;
    }

    private static final int BINS = 100;

    /** The hundredth of [lowest, highest] that {@code value} falls in. */
    private int bin(double value) {
        if (!(highest > lowest)) {
            return 0;
        }
        return (int) Math.max(0, Math.min(BINS - 1, (value - lowest) / (highest - lowest) * BINS));
    }

    private void markSeen(double value) {
        int b = bin(value);
        seenBins[b >> 6] |= 1L << (b & 63);
    }

    /**
     * Whether no value seen so far lies within {@link Config#spatialTolerance} of the range of
     * {@code value} (inside the range: the spatial rule applied to the gaps between values seen).
     */
    private boolean isGap(double value) {
        if (!(highest > lowest)) {
            return false;
        }
        int b = bin(value);
        int reach = (int) Math.round(config.spatialTolerance() * BINS);
        for (int i = Math.max(0, b - reach); i <= Math.min(BINS - 1, b + reach); i++) {
            if ((seenBins[i >> 6] & (1L << (i & 63))) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Moves the range to [{@code low}, {@code high}], carrying the bins seen over. */
    private void widenRange(double low, double high) {
        double oldLow = lowest;
        double oldHigh = highest;
        long[] old = seenBins.clone();
        seenBins[0] = 0;
        seenBins[1] = 0;
        lowest = low;
        highest = high;
        for (int i = 0; i < BINS; i++) {
            if ((old[i >> 6] & (1L << (i & 63))) == 0) {
                continue;
            }
            if (!(oldHigh > oldLow)) {
                markSeen(oldLow);
                continue;
            }
            double width = (oldHigh - oldLow) / BINS;
            for (int b = bin(oldLow + i * width); b <= bin(oldLow + (i + 1) * width); b++) {
                seenBins[b >> 6] |= 1L << (b & 63);
            }
        }
    }

    // -z^2 + ERFC[0] + t (ERFC[1] + t (ERFC[2] + ...)): Numerical Recipes' Chebyshev fit
    private static final double[] ERFC = {
        -1.26551223,
        1.00002368,
        0.37409196,
        0.09678418,
        -0.18628806,
        0.27886807,
        -1.13520398,
        1.48851587,
        -0.82215223,
        0.17087277
    };

    /** The complementary error function, with relative error below 1.2e-7. */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double p = ERFC[ERFC.length - 1];
        for (int i = ERFC.length - 2; i >= 0; i--) {
            p = ERFC[i] + t * p;
        }
        double r = t * Math.exp(-z * z + p);
        return x >= 0 ? r : 2 - r;
    }

    /**
     * Whether the last sample is a sustained rise (per-sample mode with {@link Config#runZ()}): it
     * and at least one of the two samples before it lie {@code runZ} spreads or more above their
     * expected values. A run rule in the manner of the Western Electric rules (Western Electric,
     * Statistical Quality Control Handbook, 1956: two of three consecutive points beyond a limit on
     * the same side), which sees a moderate rise that persists, as a degraded node or a slower
     * dependency gives, where one sample alone is not surprising enough. False during the warm-up.
     */
    public boolean sustainedRise() {
        double k = config.runZ();
        return k > 0
                && points > config.warmupPoints()
                && lastZ[0] >= k
                && (lastZ[1] >= k || lastZ[2] >= k);
    }

    /** The forecast the last point was judged against (its expected value). */
    public double lastExpected() {
        return lastExpected;
    }

    /** Points seen so far. */
    public long points() {
        return points;
    }

    /**
     * Points the second view has seen: as {@link #points()}, unless it started empty from a
     * snapshot of an earlier format (0 without a second view).
     */
    public long secondViewPoints() {
        return shape == null ? 0 : shape.points();
    }

    private static final byte FORMAT = 3;

    /**
     * A compact, versioned snapshot of configuration and state; {@link #fromBytes(byte[])} restores
     * it.
     */
    public byte[] toBytes() {
        ByteBuffer out =
                ByteBuffer.allocate(
                        512
                                + 8 * (recentRaw.length + 24 + 168 + 3 + 3)
                                + (shape == null ? 0 : shape.snapshotBytes()));
        out.put(FORMAT);
        Config c = config;
        out.putInt(c.warmupPoints());
        for (double d : new double[] {c.alpha(), c.beta(), c.spreadRate(), c.clip(), c.shiftZ()}) {
            out.putDouble(d);
        }
        out.putInt(c.shiftRun());
        out.putInt(c.shortWindow());
        for (double d :
                new double[] {
                    c.longRate(),
                    c.t0(),
                    c.rawScale(),
                    c.spatialTolerance(),
                    c.episodeDecay(),
                    c.suppress()
                }) {
            out.putDouble(d);
        }
        out.put((byte) (c.perSample() ? 1 : 0));
        // format 3: the second view's settings, and its state at the end
        out.putInt(c.shapeWindow());
        out.putInt(c.shapeStep());
        out.putInt(c.shapeHistory());
        out.putDouble(c.runZ());
        out.putLong(points);
        out.putLong(firstTimeMs);
        out.putDouble(level);
        for (double[] a : new double[][] {dayOffset, weekOffset, error, mad, recentRaw}) {
            for (double d : a) {
                out.putDouble(d);
            }
        }
        out.putInt(shiftCount);
        out.putInt(shiftSign);
        out.putInt(recentNext);
        for (double d :
                new double[] {longMean, longVar, episodePeak, lowest, highest, lastExpected}) {
            out.putDouble(d);
        }
        out.putLong(seenBins[0]);
        out.putLong(seenBins[1]);
        for (double z : lastZ) {
            out.putDouble(z);
        }
        if (shape != null) {
            shape.write(out);
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /**
     * Restores a detector from {@link #toBytes()}; throws {@link IllegalArgumentException} on an
     * unknown format. A snapshot of format 2 (before the second view) keeps all of its state and
     * starts the second view and the run rule empty, with the settings of {@link Config#DEFAULT}
     * (or of {@link ActionScorer#CONFIG} for a per-sample detector). A snapshot of format 1 (before
     * the anomaly-likelihood layer changed) keeps its per-sample state, the part ShadowJob uses,
     * and restarts the layers that changed.
     */
    public static StreamDetector fromBytes(byte[] snapshot) {
        try {
            ByteBuffer in = ByteBuffer.wrap(snapshot);
            byte format = in.get();
            if (format == 1) {
                return fromFormat1(in);
            }
            if (format != 2 && format != FORMAT) {
                throw new IllegalArgumentException("unknown detector snapshot format " + format);
            }
            Config.Builder b =
                    Config.builder()
                            .warmupPoints(in.getInt())
                            .alpha(in.getDouble())
                            .beta(in.getDouble())
                            .spreadRate(in.getDouble())
                            .clip(in.getDouble())
                            .shiftZ(in.getDouble())
                            .shiftRun(in.getInt())
                            .shortWindow(in.getInt())
                            .longRate(in.getDouble())
                            .t0(in.getDouble())
                            .rawScale(in.getDouble())
                            .spatialTolerance(in.getDouble())
                            .episodeDecay(in.getDouble())
                            .suppress(in.getDouble());
            boolean perSample = (in.get() != 0);
            if (format == 2) {
                Config shapeOf = perSample ? ActionScorer.CONFIG : Config.DEFAULT;
                b.shapeWindow(shapeOf.shapeWindow())
                        .shapeStep(shapeOf.shapeStep())
                        .shapeHistory(shapeOf.shapeHistory())
                        .runZ(shapeOf.runZ());
            } else {
                b.shapeWindow(in.getInt())
                        .shapeStep(in.getInt())
                        .shapeHistory(in.getInt())
                        .runZ(in.getDouble());
            }
            StreamDetector d = new StreamDetector(b.perSample(perSample).build());
            d.readForecastState(in);
            for (int i = 0; i < d.recentRaw.length; i++) {
                d.recentRaw[i] = in.getDouble();
            }
            d.shiftCount = in.getInt();
            d.shiftSign = in.getInt();
            d.recentNext = in.getInt();
            d.longMean = in.getDouble();
            d.longVar = in.getDouble();
            d.episodePeak = in.getDouble();
            d.lowest = in.getDouble();
            d.highest = in.getDouble();
            d.lastExpected = in.getDouble();
            d.seenBins[0] = in.getLong();
            d.seenBins[1] = in.getLong();
            if (format == FORMAT) {
                for (int i = 0; i < d.lastZ.length; i++) {
                    d.lastZ[i] = in.getDouble();
                }
                if (d.shape != null) {
                    d.shape = ShapeView.read(in);
                }
            }
            return d;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated detector snapshot", e);
        }
    }

    /**
     * Format 1: the same forecasting state; its surprise and novelty layers are dropped (they
     * restart, as after the warm-up), its novelty window and scale replaced by this version's
     * defaults.
     */
    private static StreamDetector fromFormat1(ByteBuffer in) {
        int warmup = in.getInt();
        double alpha = in.getDouble();
        double beta = in.getDouble();
        double spreadRate = in.getDouble();
        double clip = in.getDouble();
        double shiftZ = in.getDouble();
        int shiftRun = in.getInt();
        int shortWindow = in.getInt();
        double longRate = in.getDouble();
        double t0 = in.getDouble();
        double episodeDecay = in.getDouble();
        double suppress = in.getDouble();
        int noveltyWindow = in.getInt();
        in.getDouble(); // novelty scale
        in.getDouble(); // range decay
        boolean perSample = (in.get() != 0);
        Config d0 = Config.DEFAULT;
        Config shapeOf = perSample ? ActionScorer.CONFIG : d0;
        StreamDetector d =
                new StreamDetector(
                        new Config(
                                warmup,
                                alpha,
                                beta,
                                spreadRate,
                                clip,
                                shiftZ,
                                shiftRun,
                                perSample ? shortWindow : d0.shortWindow(),
                                perSample ? longRate : d0.longRate(),
                                t0,
                                d0.rawScale(),
                                d0.spatialTolerance(),
                                episodeDecay,
                                suppress,
                                perSample,
                                shapeOf.shapeWindow(),
                                shapeOf.shapeStep(),
                                shapeOf.shapeHistory(),
                                shapeOf.runZ()));
        d.readForecastState(in);
        in.position(
                in.position() + 8 * (shortWindow + noveltyWindow)); // recent surprises and values
        d.shiftCount = in.getInt();
        d.shiftSign = in.getInt();
        in.getInt(); // recent surprise cursor
        in.getInt(); // recent value cursor
        in.position(in.position() + 8 * 5); // long mean, long variance, episode peak, range
        d.lastExpected = in.getDouble();
        return d;
    }

    private void readForecastState(ByteBuffer in) {
        points = in.getLong();
        firstTimeMs = in.getLong();
        level = in.getDouble();
        for (double[] a : new double[][] {dayOffset, weekOffset, error, mad}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = in.getDouble();
            }
        }
        lowest = level;
        highest = level;
        markSeen(level);
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
        System.arraycopy(recentRaw, 0, c.recentRaw, 0, recentRaw.length);
        c.recentNext = recentNext;
        c.longMean = longMean;
        c.longVar = longVar;
        c.episodePeak = episodePeak;
        c.lowest = lowest;
        c.highest = highest;
        System.arraycopy(seenBins, 0, c.seenBins, 0, seenBins.length);
        c.lastExpected = lastExpected;
        c.shape = shape == null ? null : shape.copy();
        System.arraycopy(lastZ, 0, c.lastZ, 0, lastZ.length);
        return c;
    }

    private static double clamp(double x, double limit) {
        return Math.max(-limit, Math.min(limit, x));
    }
}
