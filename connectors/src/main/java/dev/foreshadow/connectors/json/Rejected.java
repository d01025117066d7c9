package dev.foreshadow.connectors.json;

/**
 * Thrown by validation with a reason that names the field and the problem, e.g. {@code
 * metrics.cpuSeconds: is negative (-1.0)}.
 */
public final class Rejected extends Exception {
    public Rejected(String reason) {
        super(reason, null, false, false);
    }
}
