package dev.foreshadow.jobs.operators;

import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.models.anomaly.ActionScorer;
import dev.foreshadow.models.anomaly.IncidentTracker;
import dev.foreshadow.models.anomaly.StreamDetector;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Scores every metric of every action sample against the history of its (tenant, workflow type, action type), with
 * one online detector per metric ({@link ActionScorer}: robust level, spread and seasonality, see
 * {@code docs/ANOMALIES.md}).
 *
 * <p>In: {@link ActionSample}s keyed by {@link ActionStatsWindow#key}. Out: a {@code metric} {@link Anomaly} when a
 * metric's incident opens (one alert per incident, not per sample: {@link IncidentTracker}); on {@link #HIGH_SCORES}
 * every sample-metric scoring at or above the alert threshold, for the sustained-spike pattern.
 */
public final class ScoreSamples extends KeyedProcessFunction<String, ActionSample, Anomaly> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<Anomaly> HIGH_SCORES = new OutputTag<>("high-scores") {};

    static final String DETECTORS_STATE = "detectors";
    static final String INCIDENTS_STATE = "incidents";

    private final long incidentQuietMs;

    /**
     * Metric name -> its detector's snapshot. Kept for the life of the job on purpose: it is the baseline, and its
     * size is bounded by the number of (workflow type, action type) pairs times nine metrics, under 2 KB each.
     */
    private transient MapState<String, byte[]> detectors;
    /** Metric name -> its incident tracker (open incident, last high score). Bounded like the detectors. */
    private transient MapState<String, IncidentTracker> incidents;

    public ScoreSamples(Duration incidentQuiet) {
        this.incidentQuietMs = incidentQuiet.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        detectors = getRuntimeContext().getMapState(
                new MapStateDescriptor<>(DETECTORS_STATE, String.class, byte[].class));
        incidents = getRuntimeContext().getMapState(
                new MapStateDescriptor<>(INCIDENTS_STATE, Types.STRING, Types.GENERIC(IncidentTracker.class)));
    }

    @Override
    public void processElement(ActionSample s, Context ctx, Collector<Anomaly> out) throws Exception {
        long t = s.time().toEpochMilli();
        for (String metric : ActionScorer.METRICS) {
            byte[] snapshot = detectors.get(metric);
            StreamDetector detector = snapshot == null ? ActionScorer.newDetector() : StreamDetector.fromBytes(snapshot);
            double value = Anomalies.metric(s, metric);
            ActionScorer.Score score = ActionScorer.score(detector, value, t);
            detectors.put(metric, detector.toBytes());

            IncidentTracker incident = incidents.get(metric);
            if (incident == null) {
                if (!score.alert()) {
                    continue; // most metrics never alert: keep no tracker for them
                }
                incident = new IncidentTracker(ActionScorer.ALERT_THRESHOLD, incidentQuietMs);
            }
            IncidentTracker.Transition transition = incident.observe(t, score.score());
            if (score.alert()) {
                Anomaly high = Anomalies.ofSample(Anomalies.METRIC, s, metric, value, score.expected(), score.score(),
                        Map.of("incident", transition.name().toLowerCase()));
                ctx.output(HIGH_SCORES, high);
                if (transition == IncidentTracker.Transition.OPENED) {
                    out.collect(high);
                }
            }
            incidents.put(metric, incident);
        }
    }
}
