package dev.foreshadow.models.domain;

import java.util.Arrays;
import java.util.List;

/**
 * What an external event is, with the name it has on the wire ({@code ExternalEvent.kind}) and in
 * the {@code external_events} table. Anything else a source announces is {@link #OTHER}.
 */
public enum ExternalEventKind {
    /** A marketing campaign: more customers while it runs. */
    CAMPAIGN("campaign"),
    /** A sales or demand forecast made outside foreshadow. */
    SALES_FORECAST("sales-forecast"),
    /** A traffic surge seen or expected upstream (a CDN, a partner's batch). */
    TRAFFIC("traffic"),
    /** A reading of a sensor that drives work (weather, load, queue depth). */
    SENSOR("sensor"),
    /** A public holiday or a seasonal peak. */
    HOLIDAY("holiday"),
    /** A product release or launch. */
    RELEASE("release"),
    /** Anything else; the magnitude still says how demand changes. */
    OTHER("other");

    private final String wireName;

    ExternalEventKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire ({@code ExternalEvent.kind}). */
    public String wireName() {
        return wireName;
    }

    /** Every wire name, in declaration order (for messages that list them). */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(ExternalEventKind::wireName).toList();
    }

    /** The kind of a wire name, or an error naming it. */
    public static ExternalEventKind ofWireName(String name) {
        for (ExternalEventKind k : values()) {
            if (k.wireName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no external event kind " + name);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
