package dev.foreshadow.connectors.json;

import dev.foreshadow.connectors.privacy.AttributePolicy;
import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.Cost;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.Security;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.models.domain.Metric;
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
 * (the history's retention: it would be dropped at once); metrics are finite, non-negative and
 * within their plausible bounds ({@link InputLimits}: a duration no longer than the retention,
 * memory no more than a pebibyte, ...); the record is read under the size, depth and
 * one-value-per-record rules of {@link JsonInput}; attributes are bounded in number and length;
 * text holds no control characters (beyond tabs and line ends) and no unpaired surrogates; the
 * tenant {@code *} is reserved; unknown fields are ignored.
 */
public final class EventDecoder implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String TYPES = Arrays.toString(EventType.values());

    private final AttributePolicy attributePolicy;
    private final Duration maxClockSkew;
    private final Duration maxAge;
    private final InstantSource clock;
    private final InputLimits limits;

    /** A decoder with the default {@link InputLimits}, durations bounded by {@code maxAge}. */
    public EventDecoder(
            AttributePolicy attributePolicy,
            Duration maxClockSkew,
            Duration maxAge,
            InstantSource clock) {
        this(attributePolicy, maxClockSkew, maxAge, clock, InputLimits.defaults(maxAge));
    }

    public EventDecoder(
            AttributePolicy attributePolicy,
            Duration maxClockSkew,
            Duration maxAge,
            InstantSource clock,
            InputLimits limits) {
        this.attributePolicy = attributePolicy;
        this.maxClockSkew = maxClockSkew;
        this.maxAge = maxAge;
        this.clock = clock;
        this.limits = limits;
    }

    /** The limits this decoder applies (the OTLP records share them). */
    public InputLimits limits() {
        return limits;
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
        Fields f = Fields.of(JsonInput.object(bytes, "event", limits), "");
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
        String tenant = f.has("tenant") ? f.tenant("tenant") : "default";
        String workflowType = f.requiredId("workflowType");
        String runId = f.requiredId("runId");
        String actionType =
                type.concernsAction()
                        ? f.requiredId("actionType", ',')
                        : f.optionalId("actionType");
        String actionId =
                type.concernsAction() ? f.requiredId("actionId") : f.optionalId("actionId");
        String triggeredBy = f.optionalId("triggeredBy");
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
                metrics(f.object("metrics"), limits),
                security(f.object("security")),
                cost(f.object("cost"), limits),
                attributePolicy.apply(f.scalarMap("attributes", limits)));
    }

    private static EventType type(String text) throws Rejected {
        if (text == null) {
            throw new Rejected("type: is missing");
        }
        try {
            return EventType.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new Rejected("type: '" + Fields.abbreviate(text) + "' is not one of " + TYPES);
        }
    }

    private static ActionMetrics metrics(Fields m, InputLimits limits) throws Rejected {
        if (m == null) {
            return ActionMetrics.NONE;
        }
        return new ActionMetrics(
                m.wholeMetric(Metric.DURATION_MS, limits),
                m.metric(Metric.CPU_SECONDS, limits),
                m.metric(Metric.PEAK_CORES, limits),
                m.wholeMetric(Metric.PEAK_MEMORY_BYTES, limits),
                m.wholeMetric(Metric.NETWORK_IN_BYTES, limits),
                m.wholeMetric(Metric.NETWORK_OUT_BYTES, limits),
                m.wholeMetric(Metric.BYTES_READ, limits),
                m.wholeMetric(Metric.BYTES_WRITTEN, limits));
    }

    private static Security security(Fields s) throws Rejected {
        return s == null
                ? Security.NONE
                : new Security(s.optionalId("encryption"), s.strings("certifications", ','));
    }

    private static Cost cost(Fields c, InputLimits limits) throws Rejected {
        if (c == null) {
            return null;
        }
        Double amount =
                c.bounded("amount", limits.max(Metric.COST), InputOptions.keyOf(Metric.COST));
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
