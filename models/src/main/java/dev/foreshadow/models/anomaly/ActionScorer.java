package dev.foreshadow.models.anomaly;

import dev.foreshadow.models.domain.Metric;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Scores the metrics of finished actions against their own history, one {@link StreamDetector} per
 * (workflow type, action type, metric). Input: one metric value of one action with its event time;
 * output: a {@link Score} (anomaly score in [0, 1], the expected value, and whether it crosses
 * {@link #ALERT_THRESHOLD}).
 *
 * <p>Values are scored on a {@code log(1 + max(0, x) / unit)} scale, because durations, bytes and
 * cost vary multiplicatively (a task twice as slow is as unusual at 10 s as at 10 min); each
 * metric's unit is its {@link Metric#resolution()} (a millisecond, a byte, a millicore, a millionth
 * of the currency), so that values far above it, which all real values are, are on a log scale: on
 * {@code log(1 + x)}, a cost of 0.0003 against 0.0001 would be an additive blip of 0.0002 in a tiny
 * spread rather than the factor of 3 it is. The expected value is reported on the original scale.
 * Each key warms up for {@link #CONFIG}{@code .warmupPoints()} samples before it can score.
 *
 * <p>A value alerts when the {@link AlertRule} admits it and either its score reaches {@link
 * #ALERT_THRESHOLD} (the level view, raised by the shape view for a sample the level view already
 * finds off: {@link StreamDetector}) or it is a sustained rise ({@link
 * StreamDetector#sustainedRise()}: it and one of the two samples before it at least one spread
 * above their expected values, a run rule in the manner of the Western Electric rules).
 *
 * <p>API for the Flink operator (ShadowJob): key the sample stream by (workflow type, action type)
 * and keep a map per metric and hold one {@link StreamDetector} built with {@link #newDetector()}
 * per key in {@code ValueState<byte[]>} via {@link StreamDetector#toBytes()} and {@link
 * StreamDetector#fromBytes(byte[])} (or as a plain {@link Serializable} value; primitives only);
 * for each sample call {@link #score(StreamDetector, Metric, double, long, AlertRule)}, write the
 * detector back, and emit an {@code Anomaly} when {@link Score#alert()}; pass alerts through an
 * {@link IncidentTracker} per key and a {@link TokenBucket} per tenant or per sink. Outside Flink
 * (tests, evaluations) this class keeps the map itself: {@link #score(String, String, Metric,
 * double, long)}. Not thread-safe.
 */
public final class ActionScorer implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A score at or above this is an alert (fixed a priori, not tuned on any labels). */
    public static final double ALERT_THRESHOLD = 0.9;

    /**
     * Which side of the expected value may alert. {@link #BOTH} is the default: a drop matters too
     * (a task starved of CPU, an output cut short), and on FlowBench alerting on both sides finds
     * more of the labelled anomalies at lower precision (docs/ANOMALIES.md). {@link #ABOVE} suits
     * teams that only page on capacity and cost. A drop never triggers a scale-up either way.
     */
    public enum Direction {
        ABOVE,
        BELOW,
        BOTH;

        /** Whether {@code observed} lies on an alerting side of {@code expected}. */
        public boolean admits(double observed, double expected) {
            return switch (this) {
                case ABOVE -> observed > expected;
                case BELOW -> observed < expected;
                case BOTH -> observed != expected;
            };
        }

        /**
         * Parses {@code above}, {@code below} or {@code both} (any case); the message names {@code
         * what} otherwise.
         */
        public static Direction parse(String what, String value) {
            for (Direction d : values()) {
                if (d.name().equalsIgnoreCase(value == null ? "" : value.strip())) {
                    return d;
                }
            }
            throw new IllegalArgumentException(
                    what + " must be above, below or both, got '" + value + "'");
        }
    }

    /**
     * The detector configuration for action metrics: the NAB configuration with a shorter warm-up
     * and the level-shift rule, in {@code perSample} mode (anomalous actions can be frequent, and
     * one alert per incident is the job of {@link IncidentTracker} downstream, not of the score), a
     * short shape view (windows of 4 samples, 128 remembered) and the run rule at one spread.
     */
    public static final StreamDetector.Config CONFIG = forActions(StreamDetector.Config.DEFAULT);

    /**
     * When a high score is an alert: the value must lie on {@code direction}'s side of the expected
     * value and differ from it by at least {@code minChange} of it (0.2: 20%), so that a metric
     * that never varies (a file of 340 bytes, always) does not alert on 339.
     */
    public record AlertRule(Direction direction, double minChange) implements Serializable {

        /** Both sides, at least 20% away from the expected value. */
        public static final AlertRule DEFAULT = new AlertRule(Direction.BOTH, 0.2);

        public AlertRule {
            if (!(minChange >= 0) || Double.isInfinite(minChange)) {
                throw new IllegalArgumentException(
                        "the minimum change must be a number >= 0, got " + minChange);
            }
        }

        /** Whether {@code observed} is far enough from {@code expected}, on an alerting side. */
        public boolean admits(double observed, double expected) {
            return direction.admits(observed, expected)
                    && Math.abs(observed - expected) >= minChange * Math.abs(expected);
        }
    }

    /**
     * One scored value.
     *
     * @param score anomaly score in [0, 1]
     * @param expected the value the detector expected, on the metric's own scale
     * @param alert {@code score >= ALERT_THRESHOLD} or a sustained rise, and the value admitted by
     *     the {@link AlertRule}
     */
    public record Score(double score, double expected, boolean alert) {}

    /** What one detector is kept per, outside Flink. */
    private record Key(String workflowType, String actionType, Metric metric) {}

    private final Map<Key, StreamDetector> detectors = new HashMap<>();
    private final AlertRule rule;
    private final StreamDetector.Config config;

    /** Alerts by {@link AlertRule#DEFAULT}. */
    public ActionScorer() {
        this(AlertRule.DEFAULT);
    }

    public ActionScorer(AlertRule rule) {
        this(rule, CONFIG);
    }

    /** With detectors of another configuration than {@link #CONFIG}, to compare designs. */
    public ActionScorer(AlertRule rule, StreamDetector.Config config) {
        this.rule = rule;
        this.config = config;
    }

    /**
     * {@link #CONFIG} without the second view and the run rule: the per-sample detector as it was
     * before them.
     */
    public static StreamDetector.Config firstViewOnly() {
        return CONFIG.toBuilder().shapeWindow(0).runZ(0).build();
    }

    /** A fresh detector with the action-metric configuration. */
    public static StreamDetector newDetector() {
        return new StreamDetector(CONFIG);
    }

    /**
     * Scores {@code value} of {@code metric} observed at {@code eventTimeMs} with {@code detector},
     * which is updated in place; a high score alerts when {@code rule} admits the value.
     */
    public static Score score(
            StreamDetector detector,
            Metric metric,
            double value,
            long eventTimeMs,
            AlertRule rule) {
        double unit = metric.resolution();
        double s = detector.score(eventTimeMs, Math.log1p(Math.max(0, value) / unit));
        double expected = Math.expm1(detector.lastExpected()) * unit;
        boolean high = s >= ALERT_THRESHOLD || (detector.sustainedRise() && value > expected);
        return new Score(s, expected, high && rule.admits(value, expected));
    }

    /** Scores one metric of one action, keeping the detector of its key in this object. */
    public Score score(
            String workflowType, String actionType, Metric metric, double value, long eventTimeMs) {
        StreamDetector d =
                detectors.computeIfAbsent(
                        new Key(workflowType, actionType, metric), k -> new StreamDetector(config));
        return score(d, metric, value, eventTimeMs, rule);
    }

    /** Number of keys with a detector. */
    public int keys() {
        return detectors.size();
    }

    private static StreamDetector.Config forActions(StreamDetector.Config c) {
        return c.toBuilder()
                .warmupPoints(30)
                .shiftRun(24)
                .shortWindow(1)
                .suppress(1.0)
                .perSample(true)
                .shapeWindow(4)
                .shapeStep(1)
                .shapeHistory(128)
                .runZ(1.0)
                .build();
    }
}
