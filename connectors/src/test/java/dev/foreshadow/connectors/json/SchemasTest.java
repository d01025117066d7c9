package dev.foreshadow.connectors.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.AllocationBasis;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each JSON Schema names exactly the fields its record writes, so the two cannot drift apart. */
class SchemasTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "workflow-event, dev.foreshadow.connectors.records.WorkflowEvent",
        "external-event, dev.foreshadow.connectors.records.ExternalEvent",
        "signed-envelope, dev.foreshadow.connectors.records.SignedEnvelope",
        "allocation-command, dev.foreshadow.connectors.records.AllocationCommand",
        "anomaly, dev.foreshadow.connectors.records.Anomaly",
        "dead-letter, dev.foreshadow.connectors.records.DeadLetter",
        "allocation-status, dev.foreshadow.connectors.records.AllocationStatus",
    })
    void schemaPropertiesAreTheRecordComponents(String schema, Class<? extends Record> record)
            throws Exception {
        JsonNode root;
        try (InputStream in =
                getClass().getResourceAsStream("/schemas/" + schema + ".schema.json")) {
            root = Json.MAPPER.readTree(in);
        }

        assertThat(names(root.path("properties")))
                .containsExactlyInAnyOrderElementsOf(components(record));
        assertThat(root.path("title").asText()).isEqualTo(record.getSimpleName());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"allocation-command"})
    void theBasisInTheSchemaIsTheBasisRecord(String schema) throws Exception {
        JsonNode root;
        try (InputStream in =
                getClass().getResourceAsStream("/schemas/" + schema + ".schema.json")) {
            root = Json.MAPPER.readTree(in);
        }
        assertThat(names(root.path("properties").path("basis").path("properties")))
                .containsExactlyInAnyOrderElementsOf(components(AllocationBasis.class));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"workflow-event"})
    void metricsInTheSchemaAreTheMetricsRecord(String schema) throws Exception {
        JsonNode root;
        try (InputStream in =
                getClass().getResourceAsStream("/schemas/" + schema + ".schema.json")) {
            root = Json.MAPPER.readTree(in);
        }
        assertThat(names(root.path("properties").path("metrics").path("properties")))
                .containsExactlyInAnyOrderElementsOf(components(ActionMetrics.class));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"allocation-status"})
    void capacityInTheSchemaIsTheCapacityRecord(String schema) throws Exception {
        JsonNode root;
        try (InputStream in =
                getClass().getResourceAsStream("/schemas/" + schema + ".schema.json")) {
            root = Json.MAPPER.readTree(in);
        }
        assertThat(names(root.path("properties").path("capacity").path("properties")))
                .containsExactlyInAnyOrderElementsOf(
                        components(dev.foreshadow.models.lifecycle.Capacity.class));
    }

    @org.junit.jupiter.api.Test
    void theEnumsOfTheStatusSchemaAreTheWireNamesOfTheLifecycle() throws Exception {
        JsonNode p;
        try (InputStream in =
                getClass().getResourceAsStream("/schemas/allocation-status.schema.json")) {
            p = Json.MAPPER.readTree(in).path("properties");
        }
        assertThat(texts(p.path("action").path("enum")))
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(dev.foreshadow.models.lifecycle.ChangeKind.values())
                                .map(k -> k.wireName())
                                .toList());
        assertThat(texts(p.path("rule").path("enum")))
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(dev.foreshadow.models.lifecycle.Rule.values())
                                .map(r -> r.wireName())
                                .toList());
        List<String> states =
                Arrays.stream(dev.foreshadow.models.lifecycle.InstanceState.values())
                        .map(s -> s.wireName())
                        .toList();
        assertThat(texts(p.path("to").path("enum"))).containsExactlyInAnyOrderElementsOf(states);
        assertThat(texts(p.path("from").path("enum"))).containsExactlyInAnyOrderElementsOf(states);
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .filter(n -> !n.isNull())
                .map(JsonNode::asText)
                .toList();
    }

    private static List<String> names(JsonNode properties) {
        return StreamSupport.stream(
                        ((Iterable<String>) properties::fieldNames).spliterator(), false)
                .toList();
    }

    private static List<String> components(Class<? extends Record> record) {
        return Arrays.stream(record.getRecordComponents()).map(c -> c.getName()).toList();
    }
}
