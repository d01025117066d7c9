package dev.foreshadow.jobs.operators;

import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.models.anomaly.ActionScorer;
import dev.foreshadow.models.anomaly.IncidentTracker;
import dev.foreshadow.models.anomaly.StreamDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
 * <p>In: {@link ActionSample}s keyed by {@link ActionStatsWindow#key}. Out: a {@code metric} {@link
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

    // "-v2": the detectors of 0.1 scored cost, CPU seconds and cores on log(1 + x), not on the
    // per-metric unit of ActionScorer.unit; their baselines are not reused (each key warms up
    // again)
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

    /**
     * Metric name -> its detector's snapshot. Kept for the life of the job on purpose: it is the
     * baseline, and its size is bounded by the number of (workflow type, action type) pairs times
     * nine metrics, under 2 KB each.
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
     */
    public ScoreSamples(Duration incidentQuiet, ActionScorer.AlertRule rule) {
        this.incidentQuietMs = incidentQuiet.toMillis();
        this.rule = rule;
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
                                        INCIDENT_STATE, Types.GENERIC(IncidentTracker.class)));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        PENDING_STATE,
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(ActionSample.class))));
    }

    @Override
    public void processElement(ActionSample s, Context ctx, Collector<Anomaly> out)
            throws Exception {
        long t = s.time().toEpochMilli();
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
        List<String> highMetrics = new ArrayList<>();
        List<ActionScorer.Score> highScores = new ArrayList<>();
        String top = null;
        ActionScorer.Score topScore = null;
        for (String metric : ActionScorer.METRICS) {
            byte[] snapshot = detectors.get(metric);
            StreamDetector detector =
                    snapshot == null
                            ? ActionScorer.newDetector()
                            : StreamDetector.fromBytes(snapshot);
            ActionScorer.Score score =
                    ActionScorer.score(detector, metric, Anomalies.metric(s, metric), t, rule);
            detectors.put(metric, detector.toBytes());
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
        IncidentTracker.Transition transition =
                tracker.observe(t, topScore == null ? 0 : topScore.score());
        incident.update(tracker);
        if (highMetrics.isEmpty()) {
            return;
        }
        String openedAt = Long.toString(tracker.openedAtMs());
        for (int i = 0; i < highMetrics.size(); i++) {
            String metric = highMetrics.get(i);
            ctx.output(
                    HIGH_SCORES,
                    Anomalies.ofSample(
                            Anomalies.METRIC,
                            s,
                            metric,
                            Anomalies.metric(s, metric),
                            highScores.get(i).expected(),
                            highScores.get(i).score(),
                            Map.of(INCIDENT_CONTEXT, openedAt)));
        }
        if (transition == IncidentTracker.Transition.OPENED) {
            out.collect(
                    Anomalies.ofSample(
                            Anomalies.METRIC,
                            s,
                            top,
                            Anomalies.metric(s, top),
                            topScore.expected(),
                            topScore.score(),
                            Map.of(
                                    INCIDENT_CONTEXT,
                                    openedAt,
                                    "highMetrics",
                                    String.join(",", highMetrics))));
        }
    }
}
