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
        "allocation-command, dev.foreshadow.connectors.records.AllocationCommand",
        "anomaly, dev.foreshadow.connectors.records.Anomaly",
        "dead-letter, dev.foreshadow.connectors.records.DeadLetter",
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

    private static List<String> names(JsonNode properties) {
        return StreamSupport.stream(
                        ((Iterable<String>) properties::fieldNames).spliterator(), false)
                .toList();
    }

    private static List<String> components(Class<? extends Record> record) {
        return Arrays.stream(record.getRecordComponents()).map(c -> c.getName()).toList();
    }
}
