package dev.foreshadow.connectors.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.privacy.AttributePolicy;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventDecoderTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final EventDecoder DECODER =
            new EventDecoder(
                    AttributePolicy.defaults(),
                    Duration.ofHours(1),
                    Duration.ofDays(180),
                    InstantSource.fixed(NOW));

    static final String CHARGE_CARD_FINISHED =
            """
            {"eventId": "7f1c0b7e", "type": "ACTION_FINISHED", "time": "2026-11-28T09:15:02.120Z", "tenant": "shop",
             "workflowType": "order-fulfilment", "runId": "of-981", "actionType": "charge-card", "actionId": "of-981-3",
             "triggeredBy": "checkout-77120", "attempt": 2, "newFieldFromAFutureEngine": {"x": 1},
             "metrics": {"durationMs": 812, "cpuSeconds": 0.41, "peakCores": 0.9, "peakMemoryBytes": 268435456,
                         "networkInBytes": 18234, "networkOutBytes": 9120, "bytesRead": 0, "bytesWritten": 4096},
             "security": {"encryption": "TLS1.3", "certifications": ["PCI-DSS"]},
             "cost": {"amount": 0.00021, "currency": "USD"},
             "attributes": {"region": "eu-west-1", "customerEmail": "jane@example.com", "priority": 3}}
            """;

    @Test
    void decodesTheDesignExampleAndToleratesUnknownFields() {
        Decoded<WorkflowEvent> decoded = decode(CHARGE_CARD_FINISHED);

        assertThat(decoded.isValid()).isTrue();
        WorkflowEvent e = decoded.value();
        assertThat(e.type()).isEqualTo(EventType.ACTION_FINISHED);
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-28T09:15:02.120Z"));
        assertThat(decoded.timestamp()).isEqualTo(e.time());
        assertThat(e.metrics().durationMs()).isEqualTo(812L);
        assertThat(e.metrics().cpuSeconds()).isEqualTo(0.41);
        assertThat(e.metrics().peakMemoryBytes()).isEqualTo(268435456L);
        assertThat(e.security().certifications()).containsExactly("PCI-DSS");
        assertThat(e.cost().amount()).isEqualTo(0.00021);
        assertThat(e.triggeredBy()).isEqualTo("checkout-77120");
        assertThat(e.attempt()).isEqualTo(2);
    }

    @Test
    void dropsAttributesThatMayCarryPersonalData() {
        WorkflowEvent e = decode(CHARGE_CARD_FINISHED).value();

        assertThat(e.attributes()).isEqualTo(Map.of("region", "eu-west-1", "priority", "3"));
    }

    @Test
    void pseudonymisesConfiguredAttributesWithAKeyedHash() {
        byte[] key = "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8);
        AttributePolicy policy = new AttributePolicy(List.of(), List.of("*email*"), key);
        EventDecoder decoder =
                new EventDecoder(
                        policy,
                        Duration.ofHours(1),
                        Duration.ofDays(180),
                        InstantSource.fixed(NOW));

        String first =
                decoder.decode(bytes(CHARGE_CARD_FINISHED), "t/0@0", NOW)
                        .value()
                        .attributes()
                        .get("customerEmail");
        String again =
                decoder.decode(bytes(CHARGE_CARD_FINISHED), "t/0@1", NOW)
                        .value()
                        .attributes()
                        .get("customerEmail");

        assertThat(first).startsWith("pseud:").doesNotContain("jane").isEqualTo(again);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "missing event id      | \"eventId\": \"7f1c0b7e\",                  |                                    | eventId: is missing",
                "negative metric       | \"cpuSeconds\": 0.41                        | \"cpuSeconds\": -1                   | metrics.cpuSeconds: is negative (-1.0)",
                "NaN metric            | \"cpuSeconds\": 0.41                        | \"cpuSeconds\": NaN                  | metrics.cpuSeconds: is NaN, not a finite number",
                "wrong type            | \"durationMs\": 812                         | \"durationMs\": \"812ms\"            | metrics.durationMs: expected a number, got a string",
                "unparseable time      | \"time\": \"2026-11-28T09:15:02.120Z\"      | \"time\": \"yesterday\"              | time: 'yesterday' is not an ISO-8601 instant",
                "older than retention  | \"time\": \"2026-11-28T09:15:02.120Z\"      | \"time\": \"2020-01-01T00:00:00Z\"   | time: 2020-01-01T00:00:00Z is older than the history retention (PT4320H)",
                "far future time       | \"time\": \"2026-11-28T09:15:02.120Z\"      | \"time\": \"2099-01-01T00:00:00Z\"   | time: 2099-01-01T00:00:00Z is more than PT1H in the future",
                "unknown type          | \"type\": \"ACTION_FINISHED\"               | \"type\": \"ACTION_PAUSED\"          | type: 'ACTION_PAUSED' is not one of",
                "action without id     | \"actionId\": \"of-981-3\",                 |                                    | actionId: is missing",
                "certification type    | [\"PCI-DSS\"]                               | [\"PCI-DSS\", 7]                     | security.certifications[1]: expected a string, got a number",
                "bad currency          | \"currency\": \"USD\"                       | \"currency\": \"dollars\"            | cost.currency: expected an ISO-4217 code",
                "metrics not an object | \"metrics\": {                              | \"metrics\": 5, \"m\": {             | metrics: expected a JSON object, got a number",
                "control character     | \"runId\": \"of-981\"                       | \"runId\": \"of\\u0000981\"              | runId: contains a control character",
                "slash in tenant       | \"tenant\": \"shop\"                        | \"tenant\": \"shop/eu\"                | tenant: may not contain '/'",
                "comma in action type  | \"actionType\": \"charge-card\"             | \"actionType\": \"charge,card\"        | actionType: may not contain ','",
                "comma in certificate  | [\"PCI-DSS\"]                               | [\"PCI,DSS\"]                        | security.certifications[0]: may not contain ','",
            })
    void rejectsWithAReasonNamingTheField(
            String name, String original, String replacement, String reason) {
        String json =
                CHARGE_CARD_FINISHED.replace(original, replacement == null ? "" : replacement);
        assertThat(json).isNotEqualTo(CHARGE_CARD_FINISHED);

        Decoded<WorkflowEvent> decoded = decode(json);

        assertThat(decoded.isValid()).isFalse();
        assertThat(decoded.deadLetter().reason()).startsWith(reason);
        assertThat(decoded.deadLetter().source()).isEqualTo("workflow-events/0@42");
        assertThat(decoded.deadLetter().originalBytes()).isEqualTo(bytes(json));
    }

    @Test
    void keepsTheOriginalBytesOfSomethingThatIsNotJson() {
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, 0x41};

        Decoded<WorkflowEvent> decoded = DECODER.decode(garbage, "workflow-events/1@7", NOW);

        assertThat(decoded.deadLetter().reason()).startsWith("event: holds a NUL byte");
        assertThat(decoded.deadLetter().payload()).isNull();
        assertThat(decoded.deadLetter().originalBytes()).isEqualTo(garbage);
        assertThat(decoded.timestamp()).isNull();
        assertThat(decoded.deadLetter().receivedAt()).isEqualTo(NOW);
    }

    @Test
    void rejectsAJsonValueThatIsNotAnObject() {
        assertThat(decode("[1, 2]").deadLetter().reason())
                .isEqualTo("event: expected a JSON object, got an array");
        assertThat(decode("").deadLetter().reason()).isEqualTo("event: is empty");
    }

    @Test
    void workflowEventsNeedNoActionAndDefaultTheTenant() {
        Decoded<WorkflowEvent> decoded =
                decode(
                        "{\"eventId\":\"e1\",\"type\":\"WORKFLOW_STARTED\",\"time\":"
                                + NOW.minusSeconds(60).toEpochMilli()
                                + ",\"workflowType\":\"etl\",\"runId\":\"r1\"}");

        assertThat(decoded.isValid()).isTrue();
        assertThat(decoded.value().tenant()).isEqualTo("default");
        assertThat(decoded.value().time()).isEqualTo(NOW.minusSeconds(60));
    }

    @Test
    void roundTripsThroughJson() {
        WorkflowEvent e = decode(CHARGE_CARD_FINISHED).value();

        Decoded<WorkflowEvent> again = DECODER.decode(Json.bytes(e), "t/0@0", NOW);

        assertThat(again.value()).isEqualTo(e);
    }

    private static Decoded<WorkflowEvent> decode(String json) {
        return DECODER.decode(bytes(json), "workflow-events/0@42", NOW);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
