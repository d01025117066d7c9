package dev.foreshadow.connectors.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foreshadow.connectors.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllocationCommandTest {

    @Test
    void readsACommandWrittenBeforeDryRunRuleAndBasisExisted() throws Exception {
        String old =
                """
                {"commandId": "anomaly:x", "pool": "shop/orders", "cores": 2.0, "memoryBytes": 0,
                 "networkBytesPerSecond": 0, "instances": 1, "readyBy": "2026-11-28T09:00:00Z",
                 "expiresAt": "2026-11-28T09:30:00Z", "certifications": [], "quantile": "NaN",
                 "reason": "anomaly", "issuedAt": "2026-11-28T09:00:00Z"}
                """;

        AllocationCommand c = Json.MAPPER.readValue(old, AllocationCommand.class);

        assertThat(c.dryRun()).isFalse();
        assertThat(c.pool()).isEqualTo("shop/orders");
        assertThat(c.quantile()).isNaN();
        assertThat(c.rule()).isNull();
        assertThat(c.basis()).isNull();
    }

    @Test
    void anExplainedCommandReadsBackTheSame() throws Exception {
        AllocationCommand c =
                new AllocationCommand(
                        "plan:shop/payments:1000000",
                        "shop/payments",
                        90.5,
                        1L << 34,
                        2048,
                        12,
                        Instant.ofEpochMilli(1_180_000),
                        Instant.ofEpochMilli(1_195_000),
                        List.of("PCI-DSS"),
                        0.95,
                        "external-event",
                        Instant.ofEpochMilli(1_000_000),
                        true,
                        "forecast, maximum",
                        new AllocationBasis(
                                70.0,
                                90.5,
                                40.0,
                                30.0,
                                12,
                                6,
                                Map.of("checkout", "ets-ad-a24: selected by backtest"),
                                List.of("checkout campaign x1.80 (learned from 4 events)"),
                                List.of()));

        String json = Json.MAPPER.writeValueAsString(c);

        assertThat(Json.MAPPER.readValue(json, AllocationCommand.class)).isEqualTo(c);
        JsonNode tree = Json.MAPPER.readTree(json);
        assertThat(tree.path("rule").asText()).isEqualTo("forecast, maximum");
        assertThat(tree.path("basis").path("reactiveInstances").asInt()).isEqualTo(6);
        assertThat(tree.path("basis").path("models").path("checkout").asText())
                .isEqualTo("ets-ad-a24: selected by backtest");
    }
}
