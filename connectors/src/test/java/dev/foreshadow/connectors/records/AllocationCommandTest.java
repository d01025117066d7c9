package dev.foreshadow.connectors.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.json.Json;
import org.junit.jupiter.api.Test;

class AllocationCommandTest {

    @Test
    void readsACommandWrittenBeforeDryRunExisted() throws Exception {
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
    }
}
