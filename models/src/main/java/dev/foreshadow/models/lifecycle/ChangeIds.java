package dev.foreshadow.models.lifecycle;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic, opaque ids of changes and calls: a name-based UUID of their parts, so that the
 * same change seen twice has one id. Never parsed.
 */
public final class ChangeIds {

    private ChangeIds() {}

    /** The id of {@code parts} (each may be null). */
    public static String of(Object... parts) {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            String s = String.valueOf(p);
            b.append(s.length()).append(':').append(s);
        }
        return UUID.nameUUIDFromBytes(b.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }
}
