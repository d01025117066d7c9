package dev.foreshadow.jobs.shadow.anomalies;

import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.common.EventTimeOrder;
import dev.foreshadow.jobs.common.SilentKeys;
import dev.foreshadow.models.domain.AnomalyKind;
import dev.foreshadow.models.domain.Metric;
import dev.foreshadow.models.domain.MetricKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The Flink CEP patterns of ShadowJob. Each match is reported once: after a match, matching starts
 * again past its last event ({@link AfterMatchSkipStrategy#skipPastLastEvent()}).
 */
public final class Patterns {

    private Patterns() {}

    /**
     * Retry storm: {@code failures} failed attempts (ACTION_FAILED) in one run within {@code
     * within} of event time, whatever came between them (retries, other actions).
     */
    public static Pattern<WorkflowEvent, ?> retryStorm(int failures, Duration within) {
        return Pattern.<WorkflowEvent>begin("failures", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(e -> e.type() == EventType.ACTION_FAILED))
                .times(failures)
                .within(within);
    }

    /**
     * Sustained spike: {@code count} high scores of one (workflow type, action type, metric) within
     * {@code within}.
     */
    public static Pattern<Anomaly, ?> sustainedSpike(int count, Duration within) {
        return Pattern.<Anomaly>begin("high", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(a -> true))
                .times(count)
                .within(within);
    }

    /**
     * The only events a retry storm is made of: the rest of a run's events need not reach the CEP
     * operator, whose pattern lets anything come between the failures.
     */
    public static boolean isFailure(WorkflowEvent e) {
        return e.type() == EventType.ACTION_FAILED;
    }

    /** Retry storms of runs: events keyed by run. */
    public static SingleOutputStreamOperator<Anomaly> retryStorms(
            KeyedStream<WorkflowEvent, String> byRun, int failures, Duration within) {
        return CEP.pattern(byRun, retryStorm(failures, within)).process(new RetryStorm());
    }

    /** Sustained spikes: high scores keyed by {@link #spikeKey}. */
    public static SingleOutputStreamOperator<Anomaly> sustainedSpikes(
            KeyedStream<Anomaly, String> highScores, int count, Duration within) {
        return CEP.pattern(highScores, sustainedSpike(count, within)).process(new SustainedSpike());
    }

    /**
     * Sustained spikes, at most one per key and incident: keyed by {@link #spikeKey}, one per
     * metric (CEP alone would report every further k scores); keyed by {@link #incidentKey}, one
     * for all metrics.
     */
    public static SingleOutputStreamOperator<Anomaly> oncePerIncident(
            KeyedStream<Anomaly, String> spikes, Duration forgetAfter) {
        return spikes.process(new OncePerIncident(forgetAfter));
    }

    /** The key of one metric's spikes: its {@link MetricKey}, encoded. */
    public static String spikeKey(Anomaly a) {
        return new MetricKey(a.workloadKey(), Metric.ofWireName(a.metric())).encoded();
    }

    /**
     * The key whose incidents {@link ScoreSamples} tracks, whatever metrics spiked: the action
     * type's {@code WorkloadKey}, encoded.
     */
    public static String incidentKey(Anomaly a) {
        return a.workloadKey().encoded();
    }

    /**
     * Passes the first anomaly of each incident of a key (by {@link
     * ScoreSamples#INCIDENT_CONTEXT}), first in event time and, of simultaneous ones, the highest
     * scoring (then by id): anomalies wait for the watermark, so the one passed does not depend on
     * the order in which CEP's keys fire.
     */
    static final class OncePerIncident extends KeyedProcessFunction<String, Anomaly, Anomaly> {
        private static final long serialVersionUID = 1L;

        /** Forgets a key without anomalies for the history retention. */
        private final SilentKeys silentKeys;

        /** The incident of the last anomaly passed for this key; replaced, never growing. */
        private transient ValueState<String> lastIncident;

        /**
         * Spikes of one time are judged together, the highest first (CEP emits keys in any order).
         */
        private final EventTimeOrder<Anomaly> pending = Anomalies.inEventTimeOrder("pending");

        OncePerIncident(Duration forgetAfter) {
            this.silentKeys = new SilentKeys(forgetAfter);
        }

        @Override
        public void open(OpenContext openContext) {
            lastIncident =
                    getRuntimeContext()
                            .getState(new ValueStateDescriptor<>("last-incident", Types.STRING));
            silentKeys.open(getRuntimeContext());
            pending.open(getRuntimeContext());
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out)
                throws Exception {
            if (silentKeys.expired(timestamp)) {
                lastIncident.clear();
                pending.clear();
                return;
            }
            for (Anomaly a : pending.due(timestamp)) {
                pass(a, out);
            }
        }

        @Override
        public void processElement(Anomaly a, Context ctx, Collector<Anomaly> out)
                throws Exception {
            long t = a.time().toEpochMilli();
            silentKeys.touch(t, ctx.timerService());
            if (!pending.offer(a, t, ctx.timerService())) {
                pass(a, out);
            }
        }

        private void pass(Anomaly a, Collector<Anomaly> out) throws Exception {
            String incident = a.context().getOrDefault(ScoreSamples.INCIDENT_CONTEXT, "");
            if (!incident.equals(lastIncident.value())) {
                lastIncident.update(incident);
                out.collect(a);
            }
        }
    }

    static final class RetryStorm extends PatternProcessFunction<WorkflowEvent, Anomaly> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(
                Map<String, List<WorkflowEvent>> match, Context ctx, Collector<Anomaly> out) {
            List<WorkflowEvent> failures = match.get("failures");
            WorkflowEvent last = failures.get(failures.size() - 1);
            out.collect(
                    Anomalies.ofEvent(
                            AnomalyKind.RETRY_STORM,
                            last,
                            last.time(),
                            null,
                            failures.size(),
                            0,
                            1.0,
                            Map.of(
                                    "firstFailureAt",
                                    failures.get(0).time().toString(),
                                    "actions",
                                    failures.stream()
                                            .map(WorkflowEvent::actionId)
                                            .distinct()
                                            .collect(Collectors.joining(",")))));
        }
    }

    static final class SustainedSpike extends PatternProcessFunction<Anomaly, Anomaly> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(
                Map<String, List<Anomaly>> match, Context ctx, Collector<Anomaly> out) {
            List<Anomaly> high = match.get("high");
            Anomaly last = high.get(high.size() - 1);
            double observed =
                    high.stream().mapToDouble(Anomaly::observed).average().orElse(Double.NaN);
            double expected =
                    high.stream().mapToDouble(Anomaly::expected).average().orElse(Double.NaN);
            double score = high.stream().mapToDouble(Anomaly::score).max().orElse(0);
            String incident = last.context().getOrDefault(ScoreSamples.INCIDENT_CONTEXT, "");
            out.collect(
                    new Anomaly(
                            AnomalyKind.SUSTAINED_SPIKE.wireName() + ":" + last.anomalyId(),
                            AnomalyKind.SUSTAINED_SPIKE.wireName(),
                            last.time(),
                            last.tenant(),
                            last.workflowType(),
                            null,
                            last.actionType(),
                            null,
                            last.metric(),
                            observed,
                            expected,
                            score,
                            Map.of(
                                    "highScores",
                                    Integer.toString(high.size()),
                                    "since",
                                    high.get(0).time().toString(),
                                    ScoreSamples.INCIDENT_CONTEXT,
                                    incident)));
        }
    }
}
