package dev.foreshadow.jobs.shadow.anomalies;

import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.jobs.common.SilentKeys;
import dev.foreshadow.jobs.common.StateCodecs;
import dev.foreshadow.models.anomaly.ActionScorer;
import dev.foreshadow.models.anomaly.IncidentTracker;
import dev.foreshadow.models.anomaly.StreamDetector;
import dev.foreshadow.models.domain.AnomalyKind;
import dev.foreshadow.models.domain.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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
 * seasonality, see {@code docs/ANOMALIES.md}).
 *
 * <p>In: {@link ActionSample}s keyed by their {@code WorkloadKey}. Out: a {@code metric} {@link
 * Anomaly} when an incident of the key opens (one alert per incident, not per sample or per metric:
 * a slow action is usually slow in duration, CPU and cost at once; {@link IncidentTracker} on the
 * highest alerting score of each sample), naming the metric that scored highest and, in its
 * context, every metric that was high; on {@link #HIGH_SCORES} every (sample, metric) that alerts,
 * with the incident it belongs to, for the sustained-spike pattern. A metric alerts when its score
 * reaches the alert threshold on the configured side of its baseline ({@code anomaly.direction})
 * and differs from it by at least {@code anomaly.min-change}.
 *
 * <p>The detectors learn online, so the order of samples matters: samples wait for the watermark
 * and are scored in event-time order (ties by event id), so a replay, or a run at another
 * parallelism, gives the same scores. The cost is {@code watermark.out-of-orderness} of alert
 * latency. A sample already behind the watermark is scored at once.
 */
public final class ScoreSamples extends KeyedProcessFunction<String, ActionSample, Anomaly> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Anomaly> HIGH_SCORES = new OutputTag<>("high-scores") {};

    // "-v2": detectors of an earlier format scored on log(1 + x) rather than on each metric's
    // resolution, and are not reused (docs/ANOMALIES.md)
    static final String DETECTORS_STATE = "detectors-v2";
    static final String INCIDENT_STATE = "incident";
    static final String PENDING_STATE = "pending";

    /**
     * Context key of a high score: when its incident opened (epoch ms), the same for every score of
     * the incident.
     */
    public static final String INCIDENT_CONTEXT = "incidentOpenedAt";

    private final long incidentQuietMs;
    private final ActionScorer.AlertRule rule;

    /** Forgets a (workflow type, action type) silent for the history retention. */
    private final SilentKeys silentKeys;

    /**
     * Metric wire name -> its detector's snapshot: the baseline, kept while the key is active
     * ({@link SilentKeys}); nine metrics per (workflow type, action type), under 2 KB each.
     */
    private transient MapState<String, byte[]> detectors;

    /**
     * The key's incident tracker (open incident, last high score); one small value per key, kept
     * with the baseline.
     */
    private transient ValueState<IncidentTracker> incident;

    /**
     * Event time (ms) -> the samples of that time waiting for the watermark; each entry is removed
     * when its timer fires, so it holds at most the samples of the last out-of-orderness interval.
     */
    private transient MapState<Long, List<ActionSample>> pending;

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
                                        DETECTORS_STATE, String.class, byte[].class));
        incident =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        INCIDENT_STATE, StateCodecs.incidentTrackers()));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        PENDING_STATE,
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(ActionSample.class))));
        silentKeys.open(getRuntimeContext());
    }

    @Override
    public void processElement(ActionSample s, Context ctx, Collector<Anomaly> out)
            throws Exception {
        long t = s.time().toEpochMilli();
        silentKeys.touch(t, ctx.timerService());
        if (t <= ctx.timerService().currentWatermark()) {
            score(s, ctx, out); // late: there is nothing left to order it with
            return;
        }
        List<ActionSample> waiting = pending.get(t);
        if (waiting == null) {
            waiting = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(t);
        }
        waiting.add(s);
        pending.put(t, waiting);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out)
            throws Exception {
        if (silentKeys.expired(timestamp)) {
            // no sample for the retention: the type is gone, and its baselines with it
            detectors.clear();
            incident.clear();
            pending.clear();
            return;
        }
        List<ActionSample> due = pending.get(timestamp);
        pending.remove(timestamp);
        if (due == null) {
            return;
        }
        due.sort(Comparator.comparing(ActionSample::eventId));
        for (ActionSample s : due) {
            score(s, ctx, out);
        }
    }

    private void score(ActionSample s, Context ctx, Collector<Anomaly> out) throws Exception {
        long t = s.time().toEpochMilli();
        List<Metric> highMetrics = new ArrayList<>();
        List<ActionScorer.Score> highScores = new ArrayList<>();
        Metric top = null;
        ActionScorer.Score topScore = null;
        for (Metric metric : Metric.ALL) {
            byte[] snapshot = detectors.get(metric.wireName());
            StreamDetector detector =
                    snapshot == null
                            ? ActionScorer.newDetector()
                            : StreamDetector.fromBytes(snapshot);
            ActionScorer.Score score =
                    ActionScorer.score(detector, metric, s.value(metric), t, rule);
            detectors.put(metric.wireName(), detector.toBytes());
            if (score.alert()) {
                highMetrics.add(metric);
                highScores.add(score);
                if (topScore == null || score.score() > topScore.score()) {
                    top = metric;
                    topScore = score;
                }
            }
        }
        IncidentTracker tracker = incident.value();
        if (tracker == null) {
            if (highMetrics.isEmpty()) {
                return; // a key that never alerted keeps no tracker
            }
            tracker = new IncidentTracker(ActionScorer.ALERT_THRESHOLD, incidentQuietMs);
        }
        // a sustained rise alerts below the threshold: an alert counts as a high score either way
        IncidentTracker.Transition transition =
                tracker.observe(
                        t,
                        topScore == null
                                ? 0
                                : Math.max(topScore.score(), ActionScorer.ALERT_THRESHOLD));
        incident.update(tracker);
        if (highMetrics.isEmpty()) {
            return;
        }
        String openedAt = Long.toString(tracker.openedAtMs());
        for (int i = 0; i < highMetrics.size(); i++) {
            Metric metric = highMetrics.get(i);
            ctx.output(
                    HIGH_SCORES,
                    Anomalies.ofSample(
                            AnomalyKind.METRIC,
                            s,
                            metric,
                            highScores.get(i).expected(),
                            highScores.get(i).score(),
                            Map.of(INCIDENT_CONTEXT, openedAt)));
        }
        if (transition == IncidentTracker.Transition.OPENED) {
            out.collect(
                    Anomalies.ofSample(
                            AnomalyKind.METRIC,
                            s,
                            top,
                            topScore.expected(),
                            topScore.score(),
                            Map.of(
                                    INCIDENT_CONTEXT,
                                    openedAt,
                                    "highMetrics",
                                    highMetrics.stream()
                                            .map(Metric::wireName)
                                            .collect(Collectors.joining(",")))));
        }
    }
}
