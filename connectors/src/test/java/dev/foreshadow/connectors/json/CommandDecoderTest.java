package dev.foreshadow.connectors.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.AllocationCommand;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandDecoderTest {

    private static final String VALID =
            """
            {"commandId": "forecast:orders:0915", "pool": "shop/orders", "cores": 12, "memoryBytes": 0,
             "instances": 2, "readyBy": "2026-11-28T09:15:00Z", "expiresAt": "2026-11-28T10:15:00Z",
             "certifications": ["PCI-DSS"], "quantile": 0.9, "reason": "forecast",
             "issuedAt": "2026-11-28T09:05:00Z", "futureField": {"ignored": true}}
            """;

    private final CommandDecoder decoder = new CommandDecoder();

    private Decoded<AllocationCommand> decode(String json) {
        return decoder.decode(
                json.getBytes(StandardCharsets.UTF_8), "allocation-commands/0@7", Instant.EPOCH);
    }

    @Test
    void decodesAValidCommandAndStampsItWithItsIssuedAt() {
        Decoded<AllocationCommand> d = decode(VALID);

        assertThat(d.isValid()).isTrue();
        AllocationCommand c = d.value();
        assertThat(c.cores()).isEqualTo(12.0);
        assertThat(c.instances()).isEqualTo(2);
        assertThat(c.networkBytesPerSecond()).isZero();
        assertThat(c.dryRun()).isFalse();
        assertThat(d.timestamp()).isEqualTo(Instant.parse("2026-11-28T09:05:00Z"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"cores\": 12,|\"cores\": -2,|cores: is negative (-2.0)",
                "\"instances\": 2,|\"instances\": -1,|instances: expected a whole number from 0, got -1",
                "\"pool\": \"shop/orders\",|\"pool\": \"\",|pool: is missing",
                "\"expiresAt\": \"2026-11-28T10:15:00Z\",|\"expiresAt\": \"2026-11-28T09:15:00Z\",|expiresAt: 2026-11-28T09:15:00Z is not after readyBy 2026-11-28T09:15:00Z",
                "\"expiresAt\": \"2026-11-28T10:15:00Z\",||expiresAt: is missing",
                "\"reason\": \"forecast\",|\"reason\": \"hunch\",|reason: 'hunch' is not one of [forecast, dependency, external-event, anomaly, reactive]",
                "\"quantile\": 0.9,|\"quantile\": 1.5,|quantile: must be in (0, 1) or NaN, got 1.5",
                "\"issuedAt\": \"2026-11-28T09:05:00Z\",|\"issuedAt\": \"soon\",|issuedAt: 'soon' is not an ISO-8601 instant",
            })
    void rejectsABadCommandWithAReasonNamingTheField(
            String field, String replacement, String reason) {
        Decoded<AllocationCommand> d =
                decode(VALID.replace(field, replacement == null ? "" : replacement));

        assertThat(d.isValid()).isFalse();
        assertThat(d.deadLetter().reason()).isEqualTo(reason);
        assertThat(d.deadLetter().source()).isEqualTo("allocation-commands/0@7");
        assertThat(d.timestamp()).as("a dead letter does not move watermarks").isNull();
    }

    @Test
    void rejectsWhatIsNotACommandAndKeepsItsBytes() {
        assertThat(decode("{not json").deadLetter().reason())
                .startsWith("command: not valid JSON (");
        assertThat(decode("[1, 2]").deadLetter().reason())
                .isEqualTo("command: expected a JSON object, got an array");
        assertThat(decode("{not json").deadLetter().payload()).isEqualTo("{not json");
    }

    @Test
    void readsTheQuantileOfAnAnomalyCommandAsWrittenByTheJsonMapper() {
        AllocationCommand c =
                decode(
                                VALID.replace("\"quantile\": 0.9", "\"quantile\": \"NaN\"")
                                        .replace("\"forecast\"", "\"anomaly\""))
                        .value();
        assertThat(c.quantile()).isNaN();
        assertThat(decode(new String(Json.bytes(c), StandardCharsets.UTF_8)).value()).isEqualTo(c);
    }
}
