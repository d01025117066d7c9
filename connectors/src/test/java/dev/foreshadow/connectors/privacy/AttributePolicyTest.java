package dev.foreshadow.connectors.privacy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.DeadLetter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttributePolicyTest {

    private static final AttributePolicy DEFAULTS = AttributePolicy.defaults();
    private static final byte[] KEY = "0123456789abcdef-one".getBytes(UTF_8);
    private static final byte[] OTHER_KEY = "0123456789abcdef-two".getBytes(UTF_8);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "name",
                "surname",
                "address",
                "ip_address",
                "mobile",
                "tel",
                "dob",
                "creditCard",
                "customerEmail",
                "e-mail",
                "billing.address",
                "first_name",
                "Last-Name",
                "userName",
                "date_of_birth",
                "card_number",
                "iban",
                "passport_no",
                "clientIp",
                "X-Forwarded-For",
                "ssn",
                "api_key",
                "password"
            })
    void dropsEveryDefaultPersonalDataName(String name) {
        assertThat(DEFAULTS.apply(Map.of(name, "x", "region", "eu-west-1")))
                .containsOnlyKeys("region");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "region",
                "className",
                "queueName",
                "hostname",
                "priority",
                "tokensUsed",
                "workflowVersion",
                "retries",
                "zone",
                "tier"
            })
    void keepsNamesThatCarryNoPersonalData(String name) {
        assertThat(DEFAULTS.apply(Map.of(name, "value"))).containsEntry(name, "value");
    }

    @Test
    void redactsPersonalDataFoundByValueInEveryOtherAttribute() {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("note", "contact bob@example.com today");
        in.put("support", "call +44 20 7946 0958 or 555-123-4567");
        in.put("origin", "from 192.168.10.42 and 2001:db8::8a2e:370:7334");
        in.put("paidWith", "4111 1111 1111 1111");
        in.put("bob@example.com", "a name that is an email");

        assertThat(DEFAULTS.apply(in))
                .containsExactly(
                        Map.entry("note", "contact [redacted email] today"),
                        Map.entry(
                                "support",
                                "call [redacted phone number] or [redacted phone number]"),
                        Map.entry("origin", "from [redacted ip address] and [redacted ip address]"),
                        Map.entry("paidWith", "[redacted card number]"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "4111 1111 1111 1112", // fails the Luhn check
                "1732786502120", // epoch milliseconds
                "2026-11-28",
                "2026-11-28T09:15:02.120Z",
                "1.20.3",
                "3.14159265",
                "of-2026-11-28-000981",
                "12:30:45",
                "eu-west-1",
                "812"
            })
    void leavesValuesThatOnlyLookLikeNumbers(String value) {
        assertThat(DEFAULTS.apply(Map.of("v", value))).containsEntry("v", value);
    }

    @Test
    void pseudonymsGroupTheSameValueUnderOneKeyAndDifferUnderAnother() {
        AttributePolicy one = new AttributePolicy(List.of(), List.of("customer*"), KEY);
        AttributePolicy two = new AttributePolicy(List.of(), List.of("customer*"), OTHER_KEY);
        String alice = one.apply(Map.of("customerId", "alice-1")).get("customerId");

        assertThat(one.apply(Map.of("customerId", "alice-1")).get("customerId"))
                .as("the same value under the same key")
                .isEqualTo(alice)
                .startsWith("pseud:")
                .doesNotContain("alice");
        assertThat(one.apply(Map.of("customerId", "bob-2")).get("customerId"))
                .as("another value")
                .isNotEqualTo(alice);
        assertThat(two.apply(Map.of("customerId", "alice-1")).get("customerId"))
                .as("the same value under another key")
                .isNotEqualTo(alice);
    }

    @Test
    void aDeadLetterKeepsItsPayloadWithPersonalValuesRedactedByNameAndByValue() {
        String payload =
                "{\"eventId\":\"e-1\",\"time\":\"carol@example.org\",\"attributes\":{\"customerEmail\":\"alice@example.com\","
                        + "\"surname\":\"Smith\",\"mobile\":491511234567,\"note\":\"ask bob@example.com\",\"region\":\"eu\"},"
                        + "\"resourceSpans\":[{\"attributes\":[{\"key\":\"user.name\",\"value\":{\"stringValue\":\"Dave Jones\"}}]}]}";
        DeadLetter letter =
                DeadLetter.of(
                        "workflow-events/0@1",
                        "time: 'carol@example.org' is not an ISO-8601 instant",
                        Instant.EPOCH,
                        payload.getBytes(UTF_8));

        DeadLetter redacted = DEFAULTS.redact(letter);

        assertThat(redacted.reason())
                .isEqualTo("time: '[redacted email]' is not an ISO-8601 instant");
        assertThat(redacted.payload())
                .doesNotContain("alice", "Smith", "491511234567", "bob@", "carol", "Dave")
                .contains(
                        "\"customerEmail\":\"[redacted]\"",
                        "\"region\":\"eu\"",
                        "\"eventId\":\"e-1\"")
                .contains("ask [redacted email]");
        assertThat(new String(redacted.originalBytes(), UTF_8)).isEqualTo(redacted.payload());
        assertThat(redacted.payloadBytes()).isEqualTo(payload.getBytes(UTF_8).length);
    }

    @Test
    void aDeadLetterCutInTheMiddleOfAValueLosesTheIncompleteValue() {
        String head = "{\"note\":\"" + "x".repeat(DeadLetter.KEPT_BYTES - 30) + " see ";
        String payload = head + "alice.wonderland@example.com and more\"}";
        DeadLetter letter =
                DeadLetter.of("t/0@1", "event: too long", Instant.EPOCH, payload.getBytes(UTF_8));

        DeadLetter redacted = DEFAULTS.redact(letter);

        assertThat(letter.truncated()).isTrue();
        assertThat(redacted.payload()).doesNotContain("alice").endsWith(" see ");
        assertThat(redacted.originalBytes().length).isLessThanOrEqualTo(DeadLetter.KEPT_BYTES);
    }

    @Test
    void aBinaryDeadLetterStillLosesTheAsciiOfAnEmail() {
        byte[] proto = {0x0A, (byte) 0xFF, 0x12};
        byte[] email = "x:alice@example.com;".getBytes(UTF_8);
        byte[] payload = new byte[proto.length + email.length];
        System.arraycopy(proto, 0, payload, 0, proto.length);
        System.arraycopy(email, 0, payload, proto.length, email.length);

        DeadLetter redacted =
                DEFAULTS.redact(DeadLetter.of("t/0@1", "otlp_proto: bad", Instant.EPOCH, payload));

        assertThat(redacted.payload()).isNull();
        assertThat(
                        new String(
                                redacted.originalBytes(),
                                java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("alice")
                .contains("[redacted email]")
                .startsWith(new String(proto, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
