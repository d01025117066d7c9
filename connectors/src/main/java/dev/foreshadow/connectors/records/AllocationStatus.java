package dev.foreshadow.connectors.records;

import dev.foreshadow.models.lifecycle.Capacity;
import dev.foreshadow.models.lifecycle.Change;
import java.time.Instant;

/**
 * One audited change of a pool, emitted on {@code allocation-status} and stored in {@code
 * allocation_events}: what changed (a command taken, the target, an instance's lifecycle step, a
 * request, a failed call), on whose behalf, by which rule, with what result, and the pool's
 * capacity after it.
 *
 * @param eventId deterministic, so that a replayed change is stored once
 * @param action {@code command}, {@code target}, {@code transition}, {@code request}, {@code
 *     prepare}, {@code expire}, {@code ready-by}, {@code observe}, {@code call-failed} or {@code
 *     remove}
 * @param commandId the command it was made for, or null
 * @param instanceId the instance it concerns, or null
 * @param from the instance's lifecycle state before ({@code transition}; null for one first seen)
 * @param to the instance's lifecycle state after ({@code transition}), else null
 * @param rule the rule that decided it (see {@code Rule})
 * @param capacity the pool after the change, or null for the outcome of a call to its manager (the
 *     pool's next observation shows its effect)
 */
public record AllocationStatus(
        String eventId,
        Instant time,
        String pool,
        String action,
        String commandId,
        String instanceId,
        String from,
        String to,
        String rule,
        String result,
        Capacity capacity) {

    /** The record of a reconciliation's change. */
    public static AllocationStatus of(Change c) {
        return new AllocationStatus(
                c.id(),
                c.at(),
                c.pool(),
                c.kind().wireName(),
                c.commandId(),
                c.instanceId(),
                c.from() == null ? null : c.from().wireName(),
                c.to() == null ? null : c.to().wireName(),
                c.rule().wireName(),
                c.result(),
                c.capacity());
    }
}
