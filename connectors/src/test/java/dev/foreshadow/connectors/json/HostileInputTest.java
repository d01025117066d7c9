package dev.foreshadow.connectors.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.otlp.SpanMapping;
import dev.foreshadow.connectors.otlp.WorkflowRecordDecoder;
import dev.foreshadow.connectors.privacy.AttributePolicy;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The decoders against hostile input ({@link HostileInput}): 100k generated bad records mixed with
 * valid ones, every named gap of the workflow-event decoder, the structural faults on the command
 * and external-event decoders and the OTLP records, and the configurable limits. Decoder-level, so
 * the 100k run in a few seconds; {@code HostileInputITCase} sends a smaller mix through the job.
 */
class HostileInputTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final EventDecoder DECODER =
            new EventDecoder(
                    AttributePolicy.defaults(),
                    Duration.ofHours(1),
                    Duration.ofDays(180),
                    InstantSource.fixed(NOW));

    /** A reason names its field: a path, a colon, the problem. */
    private static final String NAMES_A_FIELD = "^[A-Za-z_][\\w.\\[\\]-]*: .+";

    @Test
    void aHundredThousandHostileEventsAreEachDeadLetteredNamingTheirFieldAndEveryValidOneDecoded() {
        List<String> failures = new ArrayList<>();
        int[] counts = new int[3]; // all, valid, larger than a dead letter keeps
        new HostileInput(20261128, NOW, "fz")
                .generate(
                        100_000,
                        true,
                        c -> {
                            int i = counts[0]++;
                            Decoded<WorkflowEvent> d =
                                    DECODER.decode(c.bytes(), "workflow-events/0@" + i, NOW);
                            if (c.valid()) {
                                counts[1]++;
                                if (!d.isValid()) {
                                    failures.add(
                                            c.kind() + " rejected: " + d.deadLetter().reason());
                                } else if (!d.value().eventId().equals(c.eventId())
                                        || !d.value().tenant().equals(c.tenant())) {
                                    failures.add(
                                            c.kind() + " decoded as another event: " + d.value());
                                }
                                return;
                            }
                            counts[2] += c.bytes().length > DeadLetter.KEPT_BYTES ? 1 : 0;
                            if (d.isValid()) {
                                failures.add(
                                        c.kind() + " accepted: " + new String(c.bytes(), UTF_8));
                            } else if (!d.deadLetter().reason().startsWith(c.field() + ": ")) {
                                failures.add(
                                        c.kind()
                                                + " should name "
                                                + c.field()
                                                + ": "
                                                + d.deadLetter().reason());
                            } else if (d.deadLetter().originalBytes().length
                                    > DeadLetter.KEPT_BYTES) {
                                failures.add(c.kind() + " kept more than a dead letter may");
                            }
                        });
        int valid = counts[1];
        int oversized = counts[2];
        assertThat(counts[0] - valid).isGreaterThanOrEqualTo(100_000);
        assertThat(valid).as("valid events mixed in").isGreaterThan(10_000);
        assertThat(oversized).as("records larger than a dead letter keeps").isPositive();
        assertThat(failures).as("cases that did not hold").isEmpty();
    }

    @Test
    void eachGapOfTheDecoderFoundByHandIsADeadLetterWithItsReason() {
        String event = HostileInputTest.event();

        assertThat(reason(event + event))
                .isEqualTo(
                        "event: holds more than one JSON value (two events in one record, or data"
                                + " after the closing brace)");
        assertThat(reason(event + " trailing garbage")).startsWith("event: holds more than one");
        assertThat(reason(event.replace("\"durationMs\":812", "\"durationMs\":1e23")))
                .startsWith("metrics.durationMs: is ")
                .endsWith(", more than validation.max-duration (15552000000)");
        assertThat(reason(event.replace("\"runId\":", "\"runId\":\"r-0\",\"runId\":")))
                .isEqualTo("runId: is given twice");
        String fiveMegabytes =
                event.replace("\"region\":\"eu\"", "\"note\":\"" + "x".repeat(5 << 20) + "\"");
        assertThat(reason(fiveMegabytes))
                .isEqualTo(
                        "event: is "
                                + fiveMegabytes.getBytes(UTF_8).length
                                + " bytes, more than validation.max-event-bytes (1048576)");
        assertThat(reason(event.replace("\"peakMemoryBytes\":1", "\"peakMemoryBytes\":2e15")))
                .isEqualTo(
                        "metrics.peakMemoryBytes: is 2.0E15, more than validation.max-memory"
                                + " (1125899906842624)");
    }

    @Test
    void anOversizedRecordIsRejectedForItsSizeBeforeItIsParsedAndItsDeadLetterStaysSmall() {
        // broken at its very end: a parser that read it whole would call it invalid JSON instead
        byte[] huge = ("{\"eventId\":\"" + "x".repeat(2 << 20) + "\" oops").getBytes(UTF_8);

        Decoded<WorkflowEvent> d = DECODER.decode(huge, "workflow-events/0@1", NOW);

        assertThat(d.deadLetter().reason())
                .startsWith("event: is " + huge.length + " bytes, more than");
        assertThat(d.deadLetter().payloadBytes()).isEqualTo(huge.length);
        assertThat(d.deadLetter().originalBytes()).hasSize(DeadLetter.KEPT_BYTES);
        assertThat(d.deadLetter().truncated()).isTrue();
    }

    @Test
    void theCommandAndExternalEventDecodersAndOtlpRecordsRefuseTheSameStructuralFaults() {
        CommandDecoder commands = new CommandDecoder();
        ExternalEventDecoder external = new ExternalEventDecoder("body", Duration.ofMinutes(1));
        WorkflowRecordDecoder records = new WorkflowRecordDecoder(DECODER, SpanMapping.DEFAULT);
        IntFunction<String> command = i -> Json.string(HostileInput.command(i, NOW));
        IntFunction<String> campaign =
                i ->
                        "{\"eventId\":\"c"
                                + i
                                + "\",\"source\":\"crm\",\"kind\":\"campaign\",\"start\":\"2026-11-27T00:00:00Z\","
                                + "\"end\":\"2026-11-28T00:00:00Z\",\"magnitude\":2}";
        IntFunction<String> otlp =
                i -> "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[]}]}],\"n\":" + i + "}";
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            for (String bad : HostileInput.structural(command, i)) {
                Decoded<AllocationCommand> d =
                        commands.decode(bad.getBytes(UTF_8), "allocation-commands/0@" + i, NOW);
                if (d.isValid() || !d.deadLetter().reason().matches(NAMES_A_FIELD)) {
                    failures.add(
                            "command "
                                    + bad
                                    + " -> "
                                    + (d.isValid() ? "valid" : d.deadLetter().reason()));
                }
            }
            for (String bad : HostileInput.structural(campaign, i)) {
                try {
                    external.decode(bad, NOW);
                    failures.add("external event accepted: " + bad);
                } catch (Rejected e) {
                    if (!e.getMessage().startsWith("body")) {
                        failures.add("external event " + bad + " -> " + e.getMessage());
                    }
                }
            }
            for (String bad : HostileInput.structural(otlp, i)) {
                List<Decoded<WorkflowEvent>> out = new ArrayList<>();
                records.decode(bad.getBytes(UTF_8), "workflow-events/0@" + i, NOW, out::add);
                // an export the fault left valid holds no workflow span, so nothing comes out
                boolean unchanged = bad.equals(otlp.apply(i));
                if (out.size() != (unchanged ? 0 : 1)
                        || out.stream()
                                .anyMatch(
                                        d ->
                                                d.isValid()
                                                        || !d.deadLetter()
                                                                .reason()
                                                                .matches(NAMES_A_FIELD))) {
                    failures.add("otlp record " + bad + " -> " + out);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(commands.decode(command.apply(1).getBytes(UTF_8), "c/0@0", NOW).isValid())
                .as("the valid command the faults were made from")
                .isTrue();
    }

    @Test
    void everyLimitAndPlausibilityBoundIsASetting() {
        Configuration c = new Configuration();
        Map.of(
                        "validation.max-event-bytes", "2 kb",
                        "validation.max-depth", "4",
                        "validation.max-attributes", "1",
                        "validation.max-attribute-chars", "3",
                        "validation.max-duration", "1 min",
                        "validation.max-memory", "1 kb",
                        "validation.max-cost", "1")
                .forEach(c::setString);
        EventDecoder strict =
                new EventDecoder(
                        AttributePolicy.defaults(),
                        Duration.ofHours(1),
                        Duration.ofDays(180),
                        InstantSource.fixed(NOW),
                        InputOptions.limits(c, Duration.ofDays(180)));
        String event = event();

        assertThat(
                        reason(
                                strict,
                                event.replace(
                                        "\"region\":\"eu\"",
                                        "\"region\":\"" + "e".repeat(3000) + "\"")))
                .startsWith("event: is 3");
        assertThat(reason(strict, event.replace("\"region\":\"eu\"", "\"region\":\"eu-west\"")))
                .startsWith(
                        "attributes.region: is 7 characters, more than validation.max-attribute-chars (3)");
        assertThat(reason(strict, event.replace("\"region\":\"eu\"", "\"a\":1,\"b\":2")))
                .startsWith("attributes: holds 2 entries, more than validation.max-attributes (1)");
        assertThat(reason(strict, event.replace("\"region\":\"eu\"", "\"a\":[[[1]]]")))
                .startsWith("attributes.a: nests deeper than 4 levels (validation.max-depth)");
        assertThat(reason(strict, event.replace("\"durationMs\":812", "\"durationMs\":60001")))
                .startsWith(
                        "metrics.durationMs: is 60001.0, more than validation.max-duration (60000)");
        assertThat(
                        reason(
                                strict,
                                event.replace("\"peakMemoryBytes\":1", "\"peakMemoryBytes\":1025")))
                .startsWith(
                        "metrics.peakMemoryBytes: is 1025.0, more than validation.max-memory (1024)");
        assertThat(
                        reason(
                                strict,
                                event.replace(
                                        "}}", "},\"cost\":{\"amount\":2,\"currency\":\"USD\"}}")))
                .startsWith("cost.amount: is 2.0, more than validation.max-cost (1)");
        assertThat(strict.decode(event.getBytes(UTF_8), "t/0@0", NOW).isValid())
                .as("the event the variants were made from")
                .isTrue();
        c.setString("validation.max-event-bytes", "100 mb");
        assertThatThrownBy(() -> InputOptions.limits(c, Duration.ofDays(1)))
                .hasMessage("validation.max-event-bytes must be from 1 kb to 64 mb, got 100 mb");
    }

    /** A small valid event whose metrics and attributes the tests replace textually. */
    private static String event() {
        return "{\"eventId\":\"e-1\",\"type\":\"ACTION_FINISHED\",\"time\":\"2026-11-28T09:59:00Z\","
                + "\"workflowType\":\"w\",\"runId\":\"r-1\",\"actionType\":\"a\",\"actionId\":\"a-1\","
                + "\"metrics\":{\"durationMs\":812,\"peakMemoryBytes\":1},\"attributes\":{\"region\":\"eu\"}}";
    }

    private static String reason(String json) {
        return reason(DECODER, json);
    }

    private static String reason(EventDecoder decoder, String json) {
        Decoded<WorkflowEvent> d = decoder.decode(json.getBytes(UTF_8), "t/0@0", NOW);
        assertThat(d.isValid()).as(json.length() > 300 ? json.substring(0, 300) : json).isFalse();
        return d.deadLetter().reason();
    }
}
