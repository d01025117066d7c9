package dev.foreshadow.jobs.demo;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.Harnesses.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.json.EventDecoder;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import dev.foreshadow.jobs.shadow.anomalies.ScoreSamples;
import dev.foreshadow.jobs.shadow.shadowing.Shadow;
import dev.foreshadow.jobs.shadow.statistics.ActionStatsWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo's staged incident as ShadowJob's scoring sees it, whatever the hour the demo runs (its
 * days end three hours before the hour it starts, so the incident falls at any hour of the day, at
 * night among few runs): the demo's own events through the Shadow and ScoreSamples operators with
 * the demo's settings, for the incident's (workflow type, action type).
 */
class DemoIncidentTest {

    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");

    @ParameterizedTest(name = "demo ending at {0}:00")
    @ValueSource(
            ints = {
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23
            })
    void theStagedIncidentIsFlaggedAndStoredOnItsFirstOrSecondAffectedSample(int hour)
            throws Exception {
        Instant end = DAY.plus(Duration.ofHours(hour));
        DemoWorkload.Workload w =
                DemoWorkload.demo(WfTrace.bundled(), end.minus(Duration.ofDays(2)), end, 7, 4);
        DemoWorkload.Incident incident = w.incident();
        ShadowSettings s = ShadowSettings.from(ShadowSettings.load(null, Map.of()));

        var shadow = keyed(new Shadow(s.runTtl(), s.completionGrace(), s.prices()), Shadow::runKey);
        EventDecoder decoder =
                new EventDecoder(
                        s.privacy(),
                        s.job().maxClockSkew(),
                        s.history().retention(),
                        InstantSource.fixed(end.plus(Duration.ofDays(1))));
        for (DemoWorkload.Record r : w.records()) {
            Decoded<WorkflowEvent> d = decoder.decode(r.value(), "t", end);
            if (d.isValid() && d.value().workflowType().equals(incident.workflowType())) {
                shadow.processElement(d.value(), d.value().time().toEpochMilli());
            }
        }
        List<ActionSample> samples =
                shadow.extractOutputValues().stream()
                        .filter(x -> x.actionType().equals(incident.actionType()))
                        .sorted(Comparator.comparing(ActionSample::time))
                        .toList();
        shadow.close();

        var score =
                keyed(
                        new ScoreSamples(
                                s.anomaly().incidentQuiet(),
                                s.anomaly().alertRule(),
                                s.history().retention()),
                        ActionStatsWindow::key);
        for (ActionSample x : samples) {
            score.processElement(x, x.time().toEpochMilli());
        }
        score.processWatermark(Long.MAX_VALUE);
        Instant firstHigh =
                firstFrom(values(score.getSideOutput(ScoreSamples.HIGH_SCORES)), incident);
        Instant firstStored = firstFrom(score.extractOutputValues(), incident);
        score.close();

        assertThat(incident.actions()).as("affected samples").isPositive();
        assertThat(affectedBefore(incident, firstHigh))
                .as("affected samples that ended before the first alert")
                .isLessThan(2);
        assertThat(affectedBefore(incident, firstStored))
                .as("affected samples that ended before the first stored metric anomaly")
                .isLessThan(2);
    }

    private static Instant firstFrom(List<Anomaly> anomalies, DemoWorkload.Incident incident) {
        return anomalies.stream()
                .map(Anomaly::time)
                .filter(t -> !t.isBefore(incident.start()))
                .min(Comparator.naturalOrder())
                .orElseThrow();
    }

    private static long affectedBefore(DemoWorkload.Incident incident, Instant t) {
        return incident.affectedEnds().stream().filter(e -> e.isBefore(t)).count();
    }
}
