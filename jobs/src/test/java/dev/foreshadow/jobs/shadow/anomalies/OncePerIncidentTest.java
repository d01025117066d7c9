package dev.foreshadow.jobs.shadow.anomalies;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.shadow.anomalies.OperatorFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.Anomaly;
import org.junit.jupiter.api.Test;

class OncePerIncidentTest {

    @Test
    void sustainedSpikesAreReportedOncePerIncident() throws Exception {
        var h = keyed(new Patterns.OncePerIncident(RETENTION), Patterns::spikeKey);
        sendThenWatermark(h, spike("s1", "1000"));
        sendThenWatermark(h, spike("s2", "1000"));
        sendThenWatermark(h, spike("s3", "5000"));

        assertThat(h.extractOutputValues())
                .extracting(Anomaly::anomalyId)
                .containsExactly("s1", "s3");
        h.close();
    }

    @Test
    void keyedByIncidentTheSpikesOfSeveralMetricsAreOneAlert() throws Exception {
        var h = keyed(new Patterns.OncePerIncident(RETENTION), Patterns::incidentKey);
        sendThenWatermark(h, spike("cores", "1000"));
        sendThenWatermark(h, spike("memory", "1000", "peakMemoryBytes"));
        sendThenWatermark(h, spike("later", "5000", "peakMemoryBytes"));

        assertThat(h.extractOutputValues())
                .extracting(Anomaly::anomalyId)
                .containsExactly("cores", "later");
        h.close();
    }

    @Test
    void spikesOfOneTimeArePassedInTheSameOrderWhateverOrderTheyArriveIn() throws Exception {
        var h = keyed(new Patterns.OncePerIncident(RETENTION), Patterns::incidentKey);
        h.processElement(spike("memory", "1000", "peakMemoryBytes"), T0.toEpochMilli());
        h.processElement(spike("cores", "1000"), T0.toEpochMilli());
        assertThat(h.extractOutputValues()).as("nothing before the watermark").isEmpty();

        h.processWatermark(T0.toEpochMilli());

        assertThat(h.extractOutputValues()).extracting(Anomaly::anomalyId).containsExactly("cores");
        h.close();
    }

    @Test
    void aKeyWithoutSpikesForTheRetentionLeavesNeitherStateNorTimers() throws Exception {
        var h = keyed(new Patterns.OncePerIncident(RETENTION), Patterns::spikeKey);
        h.processElement(spike("s1", "1000"), T0.toEpochMilli());
        assertThat(h.numKeyedStateEntries()).isPositive();

        h.processWatermark(LONG_AFTER);

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }
}
