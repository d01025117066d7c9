package dev.foreshadow.jobs.shadow.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.models.domain.AllocationReason;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.planning.Decision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandsTest {

    @Test
    void aDecisionBecomesACommandThatSaysWhatItRestsOn() throws Exception {
        Decision d =
                new Decision(
                        new PoolId("shop/payments"),
                        1_000_000,
                        1_180_000,
                        1_195_000,
                        12,
                        90.5,
                        1L << 34,
                        0,
                        Set.of("PCI-DSS", "HIPAA"),
                        0.95,
                        AllocationReason.EXTERNAL_EVENT,
                        "forecast, maximum",
                        true,
                        new Decision.Basis(
                                70.0,
                                90.5,
                                40.0,
                                30.0,
                                14,
                                6,
                                Map.of("checkout", "ets-ad-a24: selected by backtest"),
                                List.of("checkout campaign x1.80 (learned from 4 events)"),
                                List.of()));

        AllocationCommand c = Commands.of(d);

        assertThat(c.commandId()).isEqualTo("plan:shop/payments:1000000");
        assertThat(c.pool()).isEqualTo("shop/payments");
        assertThat(c.instances()).isEqualTo(12);
        assertThat(c.readyBy()).isEqualTo(Instant.ofEpochMilli(1_180_000));
        assertThat(c.expiresAt()).isEqualTo(Instant.ofEpochMilli(1_195_000));
        assertThat(c.issuedAt()).isEqualTo(Instant.ofEpochMilli(1_000_000));
        assertThat(c.reason()).isEqualTo("external-event");
        assertThat(c.quantile()).isEqualTo(0.95);
        assertThat(c.dryRun()).isTrue();
        assertThat(c.rule()).isEqualTo("forecast, maximum");
        assertThat(c.certifications()).containsExactly("HIPAA", "PCI-DSS");
        assertThat(c.basis().forecastInstances()).isEqualTo(14);
        assertThat(c.basis().reactiveInstances()).isEqualTo(6);
        assertThat(c.basis().events())
                .containsExactly("checkout campaign x1.80 (learned from 4 events)");
        assertThat(
                        Json.MAPPER.readValue(
                                Json.MAPPER.writeValueAsString(c), AllocationCommand.class))
                .isEqualTo(c);
    }
}
