package dev.foreshadow.jobs.shadow.anomalies;

import static dev.foreshadow.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.shadow.shadowing.Shadow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CEP patterns of ShadowJob, each on a Flink MiniCluster in event time. */
class PatternsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    private static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");

    @Test
    void threeFailedAttemptsInOneRunWithinTenMinutesAreOneRetryStorm() throws Exception {
        List<WorkflowEvent> events =
                List.of(
                        // storm: fail, retry, fail, retry, fail within 10 minutes
                        actionFailed("storm", "charge-card", 1, T0, CHARGE_CARD_METRICS),
                        actionStarted("storm", "charge-card", 1, T0.plusSeconds(10)),
                        actionFailed(
                                "storm", "charge-card", 1, T0.plusSeconds(60), CHARGE_CARD_METRICS),
                        actionFailed(
                                "storm",
                                "charge-card",
                                1,
                                T0.plusSeconds(120),
                                CHARGE_CARD_METRICS),
                        // calm: three failures, but spread over an hour
                        actionFailed("calm", "ship", 1, T0, CHARGE_CARD_METRICS),
                        actionFailed("calm", "ship", 1, T0.plusSeconds(1800), CHARGE_CARD_METRICS),
                        actionFailed("calm", "ship", 1, T0.plusSeconds(3600), CHARGE_CARD_METRICS),
                        // two failures only
                        actionFailed("pair", "ship", 1, T0, CHARGE_CARD_METRICS),
                        actionFailed("pair", "ship", 1, T0.plusSeconds(5), CHARGE_CARD_METRICS));
        // distinct event ids, as an engine would send them
        List<WorkflowEvent> unique = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            WorkflowEvent e = events.get(i);
            unique.add(withIdAndAttempt(e, e.eventId() + "-" + i, e.attempt()));
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        var stream =
                env.fromData(
                                TypeInformation.of(WorkflowEvent.class),
                                unique.toArray(WorkflowEvent[]::new))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<WorkflowEvent>forMonotonousTimestamps()
                                        .withTimestampAssigner((e, t) -> e.time().toEpochMilli()));

        List<Anomaly> found =
                collect(
                        Patterns.retryStorms(
                                stream.keyBy(Shadow::runKey), 3, Duration.ofMinutes(10)));

        assertThat(found)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind()).isEqualTo("retry-storm");
                            assertThat(a.runId()).isEqualTo("storm");
                            assertThat(a.observed()).isEqualTo(3);
                            assertThat(a.time()).isEqualTo(T0.plusSeconds(120));
                        });
    }

    @Test
    void threeHighScoresOfOneMetricWithinTheWindowAreOneSustainedSpike() throws Exception {
        List<Anomaly> high =
                List.of(
                        high("h1", "peakCores", T0, 6),
                        high("h2", "peakCores", T0.plusSeconds(60), 7),
                        high("h3", "peakCores", T0.plusSeconds(120), 8),
                        high("h4", "peakCores", T0.plusSeconds(130), 8),
                        // another metric, too sparse
                        high("m1", "peakMemoryBytes", T0, 1e9),
                        high("m2", "peakMemoryBytes", T0.plusSeconds(3600), 1e9),
                        high("m3", "peakMemoryBytes", T0.plusSeconds(7200), 1e9));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        var stream =
                env.fromData(TypeInformation.of(Anomaly.class), high.toArray(Anomaly[]::new))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Anomaly>forMonotonousTimestamps()
                                        .withTimestampAssigner((a, t) -> a.time().toEpochMilli()));

        List<Anomaly> found =
                collect(
                        Patterns.sustainedSpikes(
                                stream.keyBy(Patterns::spikeKey), 3, Duration.ofMinutes(10)));

        assertThat(found)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind()).isEqualTo("sustained-spike");
                            assertThat(a.metric()).isEqualTo("peakCores");
                            assertThat(a.observed()).isEqualTo(7.0);
                            assertThat(a.expected()).isEqualTo(2.0);
                            assertThat(a.context()).containsEntry("highScores", "3");
                        });
    }

    private static Anomaly high(String id, String metric, Instant t, double observed) {
        return new Anomaly(
                id, "metric", t, "shop", "etl", "r-" + id, "load", "a-" + id, metric, observed, 2.0,
                0.95, Map.of());
    }

    private static List<Anomaly> collect(
            org.apache.flink.streaming.api.datastream.DataStream<Anomaly> stream) throws Exception {
        List<Anomaly> out = new ArrayList<>();
        try (CloseableIterator<Anomaly> it = stream.executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
