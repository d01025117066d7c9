package dev.foreshadow.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Cost;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.Security;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.Fixtures;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class WireFormatsTest {

    static final Instant T = Instant.parse("2026-12-01T09:00:00.123456789Z");

    @Test
    void everyWorkflowEventComesBackEqualWhateverItLeavesOut() throws IOException {
        WorkflowEvent full =
                new WorkflowEvent(
                        "e-1",
                        EventType.ACTION_FINISHED,
                        T,
                        "shop",
                        "order-fulfilment",
                        "run-1",
                        "charge-card",
                        "run-1-3",
                        "parent-run",
                        2,
                        new ActionMetrics(1200L, 0.5, 1.5, 1L << 33, 10L, 20L, 30L, 40L),
                        new Security("TLS1.3", List.of("PCI-DSS", "SOC2")),
                        new Cost(0.0042, "EUR"),
                        Map.of("region", "eu-west-1", "zone", "b"));
        WorkflowEvent bare =
                new WorkflowEvent(
                        "e-2", null, null, null, null, null, null, null, null, null, null, null,
                        null, null);
        WorkflowEvent partial =
                new WorkflowEvent(
                        "",
                        EventType.WORKFLOW_STARTED,
                        T,
                        "shop",
                        "etl",
                        "run-2",
                        null,
                        null,
                        null,
                        null,
                        new ActionMetrics(null, 0.0, null, null, 0L, null, null, -1L),
                        new Security(null, List.of("HIPAA")),
                        null,
                        Map.of("", ""));

        for (WorkflowEvent e :
                List.of(
                        full,
                        bare,
                        partial,
                        Fixtures.runStarted("run-3", T),
                        Fixtures.actionFinished(
                                "run-3", "charge-card", 1, T, Fixtures.CHARGE_CARD_METRICS))) {
            assertThat(roundTrip(WireFormats.WORKFLOW_EVENTS, e)).isEqualTo(e);
        }
    }

    @Test
    void everyActionSampleComesBackEqual() throws IOException {
        ActionSample s =
                new ActionSample(
                        "e-1",
                        T,
                        T.minusMillis(1500),
                        "shop",
                        "etl",
                        "run-1",
                        "load",
                        "a-1",
                        true,
                        3,
                        1500,
                        0.25,
                        2.0,
                        1L << 30,
                        1,
                        2,
                        3,
                        4,
                        "AES-256",
                        List.of("PCI-DSS"),
                        0.001,
                        "USD",
                        true,
                        Map.of("k", "v"));
        ActionSample sparse =
                new ActionSample(
                        "e-2", T, null, "shop", "etl", "run-1", "load", "a-1", false, 1, 0, 0, 0, 0,
                        0, 0, 0, 0, null, null, 0, null, false, null);

        assertThat(roundTrip(WireFormats.ACTION_SAMPLES, s)).isEqualTo(s);
        assertThat(roundTrip(WireFormats.ACTION_SAMPLES, sparse)).isEqualTo(sparse);
    }

    @Test
    void aRecordIsPassedOnAsItIsAndTheSerializerRestoresFromItsSnapshot() throws IOException {
        TypeSerializer<WorkflowEvent> serializer =
                WireFormats.WORKFLOW_EVENTS.createSerializer(new SerializerConfigImpl());
        WorkflowEvent e = Fixtures.runStarted("run-1", T);
        assertThat(serializer.copy(e)).isSameAs(e);

        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.snapshotConfiguration().writeSnapshot(out);
        TypeSerializerSnapshot<WorkflowEvent> read = new WireSerializer.Snapshot<>();
        read.readSnapshot(
                1, new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(serializer);
        assertThat(
                        read.resolveSchemaCompatibility(serializer.snapshotConfiguration())
                                .isCompatibleAsIs())
                .isTrue();
        // state an earlier version wrote with Flink's POJO serializer is read with it, once
        TypeSerializerSnapshot<WorkflowEvent> pojo =
                TypeInformation.of(WorkflowEvent.class)
                        .createSerializer(new SerializerConfigImpl())
                        .snapshotConfiguration();
        assertThat(read.resolveSchemaCompatibility(pojo).isCompatibleAfterMigration()).isTrue();
    }

    private static <T> T roundTrip(TypeInformation<T> info, T value) throws IOException {
        TypeSerializer<T> serializer = info.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T first = serializer.deserialize(in);
        assertThat(serializer.deserialize(in)).isEqualTo(first);
        assertThat(in.available()).isZero();
        return first;
    }
}
