package dev.foreshadow.jobs.shadow.anomalies;

import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.jobs.common.EventTimeOrder;
import dev.foreshadow.jobs.common.SilentKeys;
import dev.foreshadow.jobs.common.StateCodecs;
import dev.foreshadow.models.anomaly.ActionScorer;
import dev.foreshadow.models.anomaly.IncidentTracker;
import dev.foreshadow.models.anomaly.StreamDetector;
import dev.foreshadow.models.domain.AnomalyKind;
import dev.foreshadow.models.domain.Metric;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Scores every metric of every action sample against the history of its (tenant, workflow type,
 * action type), with one online detector per metric ({@link ActionScorer}: robust level, spread and
 * seasonality, a second view of shape and a run rule for sustained rises, see {@code
 * docs/ANOMALIES.md}).
 *
 * <p>In: {@link ActionSample}s keyed by their {@code WorkloadKey}. Out: a {@code metric} {@link
 * Anomaly} when an incident of the key opens (one alert per incident, not per sample or per metric:
 * a slow action is usually slow in duration, CPU and cost at once; {@link IncidentTracker} on the
 * highest alerting score of each sample, one tracker for values above their baselines and one for
 * values below, so a fast task does not hide the slowdown after it), naming the metric that scored
 * highest and, in its context, every metric that was high; on {@link #HIGH_SCORES} every (sample,
 * metric) that alerts, with the incident it belongs to, for the sustained-spike pattern. A metric
 * alerts when its score reaches the alert threshold, or it is a sustained rise, on the configured
 * side of its baseline ({@code anomaly.direction}) and differs from it by at least {@code
 * anomaly.min-change}; only a score at the threshold opens an incident, so a sustained rise alone
 * is reported by the spike pattern when it persists.
 *
 * <p>The detectors learn online, so the order of samples matters: samples wait for the watermark
 * and are scored in event-time order (ties by event id), so a replay, or a run at another
 * parallelism, gives the same scores. The cost is {@code watermark.out-of-orderness} of alert
 * latency. A sample already behind the watermark is scored at once.
 */
public final class ScoreSamples extends KeyedProcessFunction<String, ActionSample, Anomaly> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Anomaly> HIGH_SCORES = new OutputTag<>("high-scores") {};

    static final String DETECTORS_STATE = "metric-detectors";

    // where 0.1 kept the detectors, as bytes; read once per metric and moved to DETECTORS_STATE
    static final String DETECTOR_BYTES_STATE = "detectors-v2";
    static final String INCIDENT_STATE = "incident";
    static final String INCIDENT_BELOW_STATE = "incident-below";
    static final String PENDING_STATE = "pending";

    /**
     * Context key of a high score: when its incident opened (epoch ms), the same for every score of
     * the incident.
     */
    public static final String INCIDENT_CONTEXT = "incidentOpenedAt";

    /**
     * Context keys of a metric anomaly: the samples its metric's baseline (first view) and second
     * view had seen, this one included (the second view starts empty from a 0.1 savepoint).
     */
    public static final String BASELINE_SAMPLES_CONTEXT = "baselineSamples";

    public static final String SECOND_VIEW_SAMPLES_CONTEXT = "secondViewSamples";

    private final long incidentQuietMs;
    private final ActionScorer.AlertRule rule;

    /** Forgets a (workflow type, action type) silent for the history retention. */
    private final SilentKeys silentKeys;

    /**
     * Metric wire name -> its detector (both views), kept while the key is active ({@link
     * SilentKeys}); nine metrics per (workflow type, action type), about 2.4 KB each. Objects, not
     * bytes, so that the heap backend scores without (de)serializing a detector per sample.
     */
    private transient MapState<String, StreamDetector> detectors;

    /** Metric wire name -> a detector as 0.1 kept it (bytes); emptied as the metrics are moved. */
    private transient MapState<String, byte[]> detectorBytes;

    /**
     * The key's incident tracker of values above their baselines (open incident, last high score;
     * before drops had their own, of both sides); one small value per key, kept with the baseline.
     */
    private transient ValueState<IncidentTracker> incident;

    /** The same for values below their baselines. */
    private transient ValueState<IncidentTracker> incidentBelow;

    /** The samples waiting for the watermark, handed over by event time, then event id. */
    private final EventTimeOrder<ActionSample> pending =
            new EventTimeOrder<>(
                    PENDING_STATE,
                    TypeInformation.of(ActionSample.class),
                    (Comparator<ActionSample> & Serializable)
                            (x, y) -> x.eventId().compareTo(y.eventId()));

    /**
     * @param incidentQuiet event time without a high score that closes a key's incident
     * @param rule when a metric's high score is an alert (side of its baseline, minimum change)
     * @param forgetAfter event time without a sample after which a key's state is dropped
     */
    public ScoreSamples(Duration incidentQuiet, ActionScorer.AlertRule rule, Duration forgetAfter) {
        this.incidentQuietMs = incidentQuiet.toMillis();
        this.rule = rule;
        this.silentKeys = new SilentKeys(forgetAfter);
    }

    @Override
    public void open(OpenContext openContext) {
        detectors =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        DETECTORS_STATE,
                                        Types.STRING,
                                        StateCodecs.streamDetectors()
                                                .typeInfo(StreamDetector.class)));
        detectorBytes =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        DETECTOR_BYTES_STATE, String.class, byte[].class));
        incident =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        INCIDENT_STATE, StateCodecs.incidentTrackers()));
        incidentBelow =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        INCIDENT_BELOW_STATE, StateCodecs.incidentTrackers()));
        pending.open(getRuntimeContext());
        silentKeys.open(getRuntimeContext());
    }

    @Override
    public void processElement(ActionSample s, Context ctx, Collector<Anomaly> out)
            throws Exception {
        long t = s.time().toEpochMilli();
        silentKeys.touch(t, ctx.timerService());
        if (!pending.offer(s, t, ctx.timerService())) {
            score(s, ctx, out); // late: there is nothing left to order it with
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out)
            throws Exception {
        if (silentKeys.expired(timestamp)) {
            // no sample for the retention: the type is gone, and its baselines with it
            detectors.clear();
            detectorBytes.clear();
            incident.clear();
            incidentBelow.clear();
            pending.clear();
            return;
        }
        for (ActionSample s : pending.due(timestamp)) {
            score(s, ctx, out);
        }
    }

    /** The key's detector of {@code metric}: kept, moved from 0.1's bytes, or new. */
    private StreamDetector detector(Metric metric) throws Exception {
        StreamDetector detector = detectors.get(metric.wireName());
        if (detector != null) {
            return detector;
        }
        byte[] before = detectorBytes.get(metric.wireName());
        if (before == null) {
            return ActionScorer.newDetector();
        }
        detectorBytes.remove(metric.wireName());
        return StreamDetector.fromBytes(before);
    }

    private void score(ActionSample s, Context ctx, Collector<Anomaly> out) throws Exception {
        long t = s.time().toEpochMilli();
        List<Metric> rises = new ArrayList<>();
        List<ActionScorer.Score> riseScores = new ArrayList<>();
        List<Metric> drops = new ArrayList<>();
        List<ActionScorer.Score> dropScores = new ArrayList<>();
        Map<Metric, StreamDetector> judged = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.ALL) {
            StreamDetector detector = detector(metric);
            double value = s.value(metric);
            ActionScorer.Score score = ActionScorer.score(detector, metric, value, t, rule);
            detectors.put(metric.wireName(), detector);
            judged.put(metric, detector);
            if (score.alert()) {
                boolean rise = value > score.expected();
                (rise ? rises : drops).add(metric);
                (rise ? riseScores : dropScores).add(score);
            }
        }
        // values above and below their baselines are separate incidents: a task that was fast
        // says nothing of a slowdown that begins after it
        track(incident, rises, riseScores, judged, s, ctx, out);
        track(incidentBelow, drops, dropScores, judged, s, ctx, out);
    }

    /**
     * Feeds one side's alerts of a sample to that side's tracker; every alert goes to {@link
     * #HIGH_SCORES} with its incident (its own time when none is open), and an incident that opens
     * is emitted once, naming its highest-scoring metric.
     */
    private void track(
            ValueState<IncidentTracker> state,
            List<Metric> highMetrics,
            List<ActionScorer.Score> highScores,
            Map<Metric, StreamDetector> judged,
            ActionSample s,
            Context ctx,
            Collector<Anomaly> out)
            throws Exception {
        long t = s.time().toEpochMilli();
        int top = -1;
        for (int i = 0; i < highScores.size(); i++) {
            if (top < 0 || highScores.get(i).score() > highScores.get(top).score()) {
                top = i;
            }
        }
        IncidentTracker tracker = state.value();
        if (tracker == null) {
            if (top < 0) {
                return; // a key that never alerted on this side keeps no tracker
            }
            tracker = new IncidentTracker(ActionScorer.ALERT_THRESHOLD, incidentQuietMs);
        }
        // only a score at or above the threshold opens or extends an incident; a sustained rise
        // (an alert below it) feeds the spike pattern, which reports it if it persists
        IncidentTracker.Transition transition =
                tracker.observe(t, top < 0 ? 0 : highScores.get(top).score());
        state.update(tracker);
        if (top < 0) {
            return;
        }
        String openedAt = Long.toString(tracker.isOpen() ? tracker.openedAtMs() : t);
        for (int i = 0; i < highMetrics.size(); i++) {
            ctx.output(
                    HIGH_SCORES,
                    Anomalies.ofSample(
                            AnomalyKind.METRIC,
                            s,
                            highMetrics.get(i),
                            highScores.get(i).expected(),
                            highScores.get(i).score(),
                            Map.of(INCIDENT_CONTEXT, openedAt)));
        }
        if (transition == IncidentTracker.Transition.OPENED) {
            // the top metric of the sample is the one that opened it: only a high score opens
            StreamDetector d = judged.get(highMetrics.get(top));
            out.collect(
                    Anomalies.ofSample(
                            AnomalyKind.METRIC,
                            s,
                            highMetrics.get(top),
                            highScores.get(top).expected(),
                            highScores.get(top).score(),
                            Map.of(
                                    INCIDENT_CONTEXT,
                                    openedAt,
                                    "highMetrics",
                                    highMetrics.stream()
                                            .map(Metric::wireName)
                                            .collect(Collectors.joining(",")),
                                    BASELINE_SAMPLES_CONTEXT,
                                    Long.toString(d.points()),
                                    SECOND_VIEW_SAMPLES_CONTEXT,
                                    Long.toString(d.secondViewPoints()))));
        }
    }
}
