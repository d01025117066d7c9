package dev.foreshadow.connectors.json;

import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.models.domain.ExternalEventKind;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * Decodes and validates an {@link ExternalEvent}: its JSON text in (the body of a signed envelope,
 * already authenticated), the event out, or a {@link Rejected} whose reason names the field and the
 * problem, as {@link EventDecoder} does for workflow events.
 *
 * <p>Rules: {@code eventId} and {@code source} are ids (no control characters, at most 256
 * characters); {@code tenant} is an id without {@code /}, {@code default} when absent; {@code kind}
 * is an {@link ExternalEventKind} wire name ({@code other} for anything else); {@code start} and
 * {@code end} are ISO-8601 instants (or epoch milliseconds), {@code start} before {@code end}, and
 * both, like {@code announcedAt}, within {@link #MAX_HORIZON} of the signing (a forecaster plans
 * days ahead, not decades, and history keeps no more); {@code magnitude} is a finite multiplier
 * from 0 to {@link #MAX_MAGNITUDE}; {@code workflowTypes} are ids (empty means all of the
 * tenant's); {@code announcedAt}, when given, is no later than the signing time plus the tolerated
 * clock skew, and is the signing time when absent. Unknown fields are ignored.
 */
public final class ExternalEventDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How far after its signing an event may end, and how far before it it may begin. */
    public static final Duration MAX_HORIZON = Duration.ofDays(366);

    /** The largest demand multiplier an event may announce. */
    public static final double MAX_MAGNITUDE = 1000;

    static final int MAX_WORKFLOW_TYPES = 1000;

    private final String prefix;
    private final Duration maxClockSkew;
    private final InputLimits limits;

    /**
     * @param prefix the path reasons start with: {@code body} inside a signed envelope, empty for
     *     an event on its own (what {@code ./foreshadow sign} reads)
     * @param maxClockSkew how far {@code announcedAt} may lie after the signing time
     */
    public ExternalEventDecoder(String prefix, Duration maxClockSkew) {
        this(prefix, maxClockSkew, InputLimits.defaults());
    }

    /** As above, reading the event under {@code limits} ({@link JsonInput}). */
    public ExternalEventDecoder(String prefix, Duration maxClockSkew, InputLimits limits) {
        this.prefix = prefix;
        this.maxClockSkew = maxClockSkew;
        this.limits = limits;
    }

    /** The event of {@code json}, signed at {@code signedAt}, or the reason it is invalid. */
    public ExternalEvent decode(String json, Instant signedAt) throws Rejected {
        String top = prefix.isEmpty() ? "event" : prefix;
        Fields f = Fields.of(JsonInput.object(json, top, prefix, limits), prefix);
        String eventId = f.requiredId("eventId");
        String tenant = f.has("tenant") ? f.tenant("tenant") : "default";
        String source = f.requiredId("source");
        String kind = kind(f);
        Instant start = f.requiredInstant("start");
        Instant end = f.requiredInstant("end");
        if (!end.isAfter(start)) {
            throw new Rejected(
                    f.path("end")
                            + ": "
                            + end
                            + " is not after "
                            + f.path("start")
                            + " ("
                            + start
                            + ")");
        }
        if (end.isAfter(signedAt.plus(MAX_HORIZON))) {
            throw new Rejected(beyondHorizon(f.path("end"), end, "after", signedAt));
        }
        if (start.isBefore(signedAt.minus(MAX_HORIZON))) {
            throw new Rejected(beyondHorizon(f.path("start"), start, "before", signedAt));
        }
        double magnitude = f.requiredNumber("magnitude", 0, MAX_MAGNITUDE);
        Instant announcedAt = f.optionalInstant("announcedAt");
        if (announcedAt == null) {
            announcedAt = signedAt;
        } else if (announcedAt.isBefore(signedAt.minus(MAX_HORIZON))) {
            throw new Rejected(
                    beyondHorizon(f.path("announcedAt"), announcedAt, "before", signedAt));
        } else if (announcedAt.isAfter(signedAt.plus(maxClockSkew))) {
            throw new Rejected(
                    f.path("announcedAt")
                            + ": "
                            + announcedAt
                            + " is after the event was signed ("
                            + signedAt
                            + ")");
        }
        return new ExternalEvent(
                eventId,
                tenant,
                source,
                kind,
                start,
                end,
                magnitude,
                f.ids("workflowTypes", MAX_WORKFLOW_TYPES),
                announcedAt);
    }

    private static String beyondHorizon(String path, Instant t, String side, Instant signedAt) {
        return path
                + ": "
                + t
                + " is more than "
                + MAX_HORIZON.toDays()
                + " days "
                + side
                + " the event was signed ("
                + signedAt
                + ")";
    }

    private static String kind(Fields f) throws Rejected {
        String text = f.optionalString("kind");
        if (text == null) {
            throw new Rejected(f.path("kind") + ": is missing");
        }
        try {
            return ExternalEventKind.ofWireName(text).wireName();
        } catch (IllegalArgumentException e) {
            throw new Rejected(
                    f.path("kind")
                            + ": '"
                            + Fields.abbreviate(text)
                            + "' is not one of "
                            + ExternalEventKind.wireNames());
        }
    }
}
