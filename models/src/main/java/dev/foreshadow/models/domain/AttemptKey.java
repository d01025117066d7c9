package dev.foreshadow.models.domain;

import java.io.Serializable;

/**
 * One attempt of an action within a run: a retry keeps the action id and raises the attempt, and
 * each attempt is timed on its own.
 */
public record AttemptKey(String actionId, int attempt) implements Serializable {

    public AttemptKey {
        Ids.require("action id", actionId);
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
        }
    }

    /** The attempt of an event, the first when the event does not say. */
    public static AttemptKey of(String actionId, Integer attempt) {
        return new AttemptKey(actionId, attempt == null ? 1 : attempt);
    }

    /** The one string encoding (a state key): {@code actionId#attempt}. */
    public String encoded() {
        return actionId + "#" + attempt;
    }

    /**
     * The encoding of this attempt among the attempts of every run of an action type: {@code
     * runId/actionId#attempt}.
     */
    public String encodedInRun(String runId) {
        return Ids.require("run id", runId) + "/" + encoded();
    }

    /** The key {@link #encoded()} made (the last {@code #} separates the attempt). */
    public static AttemptKey decode(String encoded) {
        int at = encoded == null ? -1 : encoded.lastIndexOf('#');
        if (at < 0) {
            throw new IllegalArgumentException("not an attempt key: " + encoded);
        }
        return new AttemptKey(
                encoded.substring(0, at), Integer.parseInt(encoded.substring(at + 1)));
    }

    @Override
    public String toString() {
        return encoded();
    }
}
