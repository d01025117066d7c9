package dev.foreshadow.models.lifecycle;

import java.time.Instant;

/**
 * What the reconciler knows of one instance: its lifecycle state and since when (the pool's clock),
 * what its manager last said of it, and the one call in flight for it, if any.
 *
 * @param readyAt when it was first seen validated (READY or later), or null
 * @param readiness whether its readiness probe passed at the last observation
 * @param busy whether it had work at the last observation
 * @param call the call in flight for it, or null
 * @param commandId the command whose floor governed the pool when it was asked for, or null
 * @param ignored a state the manager reported that cannot follow {@code state}, recorded once
 */
public record Instance(
        String id,
        InstanceState state,
        Instant since,
        Instant readyAt,
        boolean readiness,
        boolean busy,
        CallKind call,
        Instant callAt,
        String commandId,
        InstanceState ignored) {

    static Instance first(String id, InstanceState state, Instant at, String commandId) {
        return new Instance(
                id,
                state,
                at,
                state.isReady() ? at : null,
                false,
                false,
                null,
                null,
                commandId,
                null);
    }

    Instance movedTo(InstanceState next, Instant at) {
        Instant ready = readyAt == null && next.isReady() ? at : readyAt;
        return new Instance(id, next, at, ready, readiness, busy, null, null, commandId, null);
    }

    Instance seen(InstanceObservation o) {
        return new Instance(
                id,
                state,
                since,
                readyAt,
                o.readiness(),
                o.busy(),
                call,
                callAt,
                commandId,
                ignored);
    }

    Instance calling(CallKind kind, Instant at) {
        return new Instance(
                id, state, since, readyAt, readiness, busy, kind, at, commandId, ignored);
    }

    Instance ignoring(InstanceState reported) {
        return new Instance(
                id, state, since, readyAt, readiness, busy, call, callAt, commandId, reported);
    }
}
