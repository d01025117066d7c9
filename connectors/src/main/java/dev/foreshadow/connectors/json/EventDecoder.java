package dev.foreshadow.connectors.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foreshadow.connectors.privacy.AttributePolicy;
import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.Cost;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.Security;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;

/**
 * Decodes and validates {@code workflow-events}: bytes in, a {@link WorkflowEvent} (with personal
 * data removed by the {@link AttributePolicy}) or a {@link DeadLetter} naming the field and the
 * problem. Never throws on bad input.
 *
 * <p>Rules: ids ({@code eventId}, {@code workflowType}, {@code runId}, and for action events {@code
 * actionType} and {@code actionId}) are required; {@code time} is an ISO-8601 instant (or epoch
 * milliseconds) no further in the future than {@code maxClockSkew}, because one far-future event
 * would push the watermark ahead and make every other event late, nor older than {@code maxAge}
 * (the history's retention: it would be dropped at once); metrics are finite and non-negative;
 * unknown fields are ignored.
 */
public final class EventDecoder implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String TYPES = Arrays.toString(EventType.values());

    private final AttributePolicy attributePolicy;
    private final Duration maxClockSkew;
    private final Duration maxAge;
    private final InstantSource clock;

    public EventDecoder(
            AttributePolicy attributePolicy,
            Duration maxClockSkew,
            Duration maxAge,
            InstantSource clock) {
        this.attributePolicy = attributePolicy;
        this.maxClockSkew = maxClockSkew;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    public Decoded<WorkflowEvent> decode(byte[] bytes, String source, Instant receivedAt) {
        try {
            WorkflowEvent event = parse(bytes);
            return Decoded.ok(event, event.time());
        } catch (Rejected e) {
            return Decoded.rejected(DeadLetter.of(source, e.getMessage(), receivedAt, bytes));
        }
    }

    WorkflowEvent parse(byte[] bytes) throws Rejected {
        if (bytes == null || bytes.length == 0) {
            throw new Rejected("event: is empty");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new Rejected("event: not valid JSON (" + Json.firstLine(e) + ")");
        }
        Fields f = Fields.of(root, "");
        String eventId = f.requiredId("eventId");
        EventType type = type(f.optionalString("type"));
        Instant time = f.requiredInstant("time");
        Instant now = clock.instant();
        if (time.isAfter(now.plus(maxClockSkew))) {
            throw new Rejected(
                    "time: " + time + " is more than " + maxClockSkew + " in the future");
        }
        if (time.isBefore(now.minus(maxAge))) {
            throw new Rejected(
                    "time: " + time + " is older than the history retention (" + maxAge + ")");
        }
        String tenant = f.has("tenant") ? f.requiredId("tenant", '/') : "default";
        String workflowType = f.requiredId("workflowType");
        String runId = f.requiredId("runId");
        String actionType =
                type.concernsAction()
                        ? f.requiredId("actionType", ',')
                        : f.optionalString("actionType");
        String actionId =
                type.concernsAction() ? f.requiredId("actionId") : f.optionalString("actionId");
        String triggeredBy = f.optionalString("triggeredBy");
        Integer attempt = f.positiveInt("attempt");

        return new WorkflowEvent(
                eventId,
                type,
                time,
                tenant,
                workflowType,
                runId,
                actionType,
                actionId,
                triggeredBy,
                attempt,
                metrics(f.object("metrics")),
                security(f.object("security")),
                cost(f.object("cost")),
                attributePolicy.apply(f.scalarMap("attributes")));
    }

    private static EventType type(String text) throws Rejected {
        if (text == null) {
            throw new Rejected("type: is missing");
        }
        try {
            return EventType.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new Rejected("type: '" + text + "' is not one of " + TYPES);
        }
    }

    private static ActionMetrics metrics(Fields m) throws Rejected {
        if (m == null) {
            return ActionMetrics.NONE;
        }
        return new ActionMetrics(
                m.nonNegativeLong("durationMs"),
                m.nonNegative("cpuSeconds"),
                m.nonNegative("peakCores"),
                m.nonNegativeLong("peakMemoryBytes"),
                m.nonNegativeLong("networkInBytes"),
                m.nonNegativeLong("networkOutBytes"),
                m.nonNegativeLong("bytesRead"),
                m.nonNegativeLong("bytesWritten"));
    }

    private static Security security(Fields s) throws Rejected {
        return s == null
                ? Security.NONE
                : new Security(s.optionalString("encryption"), s.strings("certifications", ','));
    }

    private static Cost cost(Fields c) throws Rejected {
        if (c == null) {
            return null;
        }
        Double amount = c.nonNegative("amount");
        if (amount == null) {
            throw new Rejected("cost.amount: is missing");
        }
        String currency = c.optionalString("currency");
        if (currency == null || !currency.matches("[A-Z]{3}")) {
            throw new Rejected(
                    "cost.currency: expected an ISO-4217 code such as USD, got " + currency);
        }
        return new Cost(amount, currency);
    }
}
