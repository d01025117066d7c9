package dev.foreshadow.jobs.shadow.anomalies;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.shadow.anomalies.OperatorFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.Anomaly;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PageOncePerIncidentTest {

    private static final Duration QUIET = Duration.ofMinutes(10);

    private static Anomaly of(String id, String kind, String action, Instant t) {
        return new Anomaly(
                id, kind, t, "shop", "etl", "r", action, "a", "durationMs", 2, 1, 0.95, Map.of());
    }

    private static Anomaly drop(String id, Instant t) {
        return new Anomaly(
                id,
                "metric",
                t,
                "shop",
                "etl",
                "r",
                "load",
                "a",
                "durationMs",
                1,
                2,
                0.95,
                Map.of());
    }

    @Test
    void aDropDoesNotHideTheRiseAfterItButFoldsIntoAnOpenRise() throws Exception {
        var h = keyed(new PageOncePerIncident(QUIET, RETENTION), PageOncePerIncident::key);
        sendThenWatermark(h, drop("fast", T0));
        sendThenWatermark(h, of("slow", "metric", "load", T0.plusSeconds(60)));
        sendThenWatermark(h, of("slower", "stuck-action", "load", T0.plusSeconds(90)));
        // the baseline learned the slowdown: the next ordinary task looks fast
        sendThenWatermark(h, drop("fast-again", T0.plusSeconds(120)));
        sendThenWatermark(h, drop("recovered", T0.plusSeconds(120 + 300)));

        assertThat(h.extractOutputValues())
                .extracting(Anomaly::anomalyId)
                .containsExactly("fast", "slow");
        h.close();
    }

    @Test
    void anIncidentFoundByThreeDetectorsIsPagedOnceAndAnotherActionTypeStillPages()
            throws Exception {
        var h = keyed(new PageOncePerIncident(QUIET, RETENTION), PageOncePerIncident::key);
        sendThenWatermark(h, of("stuck", "stuck-action", "load", T0));
        sendThenWatermark(h, of("metric", "metric", "load", T0.plusSeconds(240)));
        // found later, stamped earlier: still the same incident
        h.processElement(
                of("spike", "sustained-spike", "load", T0.minusSeconds(60)),
                T0.minusSeconds(60).toEpochMilli());
        sendThenWatermark(h, of("other", "metric", "extract", T0.plusSeconds(300)));
        sendThenWatermark(h, of("next", "metric", "load", T0.plusSeconds(240 + 600)));

        assertThat(h.extractOutputValues())
                .extracting(Anomaly::anomalyId)
                .containsExactly("stuck", "other", "next");
        h.close();
    }

    @Test
    void simultaneousAnomaliesArePagedHighestScoreFirstWhateverOrderTheyArriveIn()
            throws Exception {
        var h = keyed(new PageOncePerIncident(QUIET, RETENTION), PageOncePerIncident::key);
        Anomaly weak =
                new Anomaly(
                        "weak",
                        "metric",
                        T0,
                        "shop",
                        "etl",
                        "r",
                        "load",
                        "a",
                        "durationMs",
                        2,
                        1,
                        0.6,
                        Map.of());
        Anomaly strong =
                new Anomaly(
                        "strong",
                        "stuck-action",
                        T0,
                        "shop",
                        "etl",
                        "r",
                        "load",
                        "a",
                        "durationMs",
                        2,
                        1,
                        0.99,
                        Map.of());
        h.processElement(weak, T0.toEpochMilli());
        h.processElement(strong, T0.toEpochMilli());
        assertThat(h.extractOutputValues()).as("nothing before the watermark").isEmpty();

        h.processWatermark(T0.toEpochMilli());

        assertThat(h.extractOutputValues())
                .extracting(Anomaly::anomalyId)
                .containsExactly("strong");
        h.close();
    }

    @Test
    void aKeyWithoutAnomaliesForTheRetentionLeavesNeitherStateNorTimers() throws Exception {
        var h = keyed(new PageOncePerIncident(QUIET, RETENTION), PageOncePerIncident::key);
        h.processElement(of("a", "metric", "load", T0), T0.toEpochMilli());
        assertThat(h.numKeyedStateEntries()).isPositive();

        h.processWatermark(LONG_AFTER);

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }
}
