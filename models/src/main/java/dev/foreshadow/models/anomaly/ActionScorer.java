package dev.foreshadow.models.anomaly;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores the metrics of finished actions against their own history, one {@link StreamDetector} per
 * (workflow type, action type, metric). Input: one metric value of one action with its event time;
 * output: a {@link Score} (anomaly score in [0, 1], the expected value, and whether it crosses
 * {@link #ALERT_THRESHOLD}).
 *
 * <p>Values are scored on a {@code log(1 + max(0, x) / unit)} scale, because durations, bytes and
 * cost vary multiplicatively (a task twice as slow is as unusual at 10 s as at 10 min); the {@link
 * #unit(String)} of each metric is its resolution (a millisecond, a byte, a millicore, a millionth
 * of the currency), so that values far above it, which all real values are, are on a log scale: on
 * {@code log(1 + x)}, a cost of 0.0003 against 0.0001 would be an additive blip of 0.0002 in a tiny
 * spread rather than the factor of 3 it is. The expected value is reported on the original scale.
 * Each key warms up for {@link #CONFIG}{@code .warmupPoints()} samples before it can score.
 *
 * <p>API for the Flink operator (ShadowJob): key the sample stream by {@link #key(String, String,
 * String)} (or by (workflow type, action type) and keep a map per metric) and hold one {@link
 * StreamDetector} built with {@link #newDetector()} per key in {@code ValueState<byte[]>} via
 * {@link StreamDetector#toBytes()} and {@link StreamDetector#fromBytes(byte[])} (or as a plain
 * {@link Serializable} value; primitives only); for each sample call {@link #score(StreamDetector,
 * String, double, long, AlertRule)}, write the detector back, and emit an {@code Anomaly} when
 * {@link Score#alert()}; pass alerts through an {@link IncidentTracker} per key and a {@link
 * TokenBucket} per tenant or per sink. Outside Flink (tests, evaluations) this class keeps the map
 * itself: {@link #score(String, String, String, double, long)}. Not thread-safe.
 */
public final class ActionScorer implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * The metrics of an action sample that are scored, as named in {@code ActionSample} and {@code
     * Anomaly}.
     */
    public static final List<String> METRICS =
            List.of(
                    "durationMs",
                    "cpuSeconds",
                    "peakCores",
                    "peakMemoryBytes",
                    "networkInBytes",
                    "networkOutBytes",
                    "bytesRead",
                    "bytesWritten",
                    "cost");

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
     * one alert per incident is the job of {@link IncidentTracker} downstream, not of the score).
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
     * @param alert {@code score >= ALERT_THRESHOLD} and the value admitted by the {@link AlertRule}
     */
    public record Score(double score, double expected, boolean alert) {}

    private final Map<String, StreamDetector> detectors = new HashMap<>();
    private final AlertRule rule;

    /** Alerts by {@link AlertRule#DEFAULT}. */
    public ActionScorer() {
        this(AlertRule.DEFAULT);
    }

    public ActionScorer(AlertRule rule) {
        this.rule = rule;
    }

    /** The state key of one (workflow type, action type, metric). */
    public static String key(String workflowType, String actionType, String metric) {
        return workflowType + '\u0000' + actionType + '\u0000' + metric;
    }

    /** A fresh detector with the action-metric configuration. */
    public static StreamDetector newDetector() {
        return new StreamDetector(CONFIG);
    }

    /**
     * The resolution of a metric in its own unit, below which differences do not matter: a
     * millionth for {@code cost}, a thousandth for {@code cpuSeconds} and {@code peakCores}, 1 for
     * milliseconds and bytes.
     */
    public static double unit(String metric) {
        return switch (metric) {
            case "cost" -> 1e-6;
            case "cpuSeconds", "peakCores" -> 1e-3;
            default -> 1;
        };
    }

    /**
     * Scores {@code value} of {@code metric} observed at {@code eventTimeMs} with {@code detector},
     * which is updated in place; a high score alerts when {@code rule} admits the value.
     */
    public static Score score(
            StreamDetector detector,
            String metric,
            double value,
            long eventTimeMs,
            AlertRule rule) {
        double unit = unit(metric);
        double s = detector.score(eventTimeMs, Math.log1p(Math.max(0, value) / unit));
        double expected = Math.expm1(detector.lastExpected()) * unit;
        return new Score(s, expected, s >= ALERT_THRESHOLD && rule.admits(value, expected));
    }

    /** Scores one metric of one action, keeping the detector of its key in this object. */
    public Score score(
            String workflowType, String actionType, String metric, double value, long eventTimeMs) {
        StreamDetector d =
                detectors.computeIfAbsent(
                        key(workflowType, actionType, metric), k -> newDetector());
        return score(d, metric, value, eventTimeMs, rule);
    }

    /** Number of keys with a detector. */
    public int keys() {
        return detectors.size();
    }

    private static StreamDetector.Config forActions(StreamDetector.Config c) {
        return new StreamDetector.Config(
                30,
                c.alpha(),
                c.beta(),
                c.spreadRate(),
                c.clip(),
                c.shiftZ(),
                24,
                1,
                c.longRate(),
                c.t0(),
                c.rawScale(),
                c.spatialTolerance(),
                c.episodeDecay(),
                1.0,
                true);
    }
}
