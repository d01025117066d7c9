package dev.foreshadow.models.lifecycle;

import java.time.Instant;

/**
 * The reconciler's own bookkeeping of one pool, beside its instances and floors.
 *
 * @param observedAt the pool's clock: the time of its latest observation, or null before the first
 * @param pending requested instances without an id at the latest observation
 * @param autoscaled active instances the platform's own autoscaler held above the floor then
 * @param target instances the pool should have now: the largest floor in force within [min, max]
 * @param lastChange when the target last changed (or the pool was first seen): the cooldown's start
 * @param governingCommand the command whose floor sets the target, or null
 * @param provisionTarget the target of the provision call in flight
 * @param provisionAt when that call was made, or null when none is in flight
 * @param requestRule the rule of the latest provision call, given to the instances it brings
 * @param headroom the headroom last prepared
 * @param replacements instances that failed since the latest provision call
 * @param callSeq calls made so far (each call's id is made from it)
 * @param observeError why the pool could not be read, while it cannot
 */
public record PoolRecord(
        Instant observedAt,
        int pending,
        int autoscaled,
        int target,
        Instant lastChange,
        String governingCommand,
        int provisionTarget,
        Instant provisionAt,
        Rule requestRule,
        int headroom,
        int replacements,
        long callSeq,
        String observeError) {

    /** A pool never seen before. */
    public static PoolRecord initial() {
        return new PoolRecord(null, 0, 0, 0, null, null, 0, null, null, 0, 0, 0, null);
    }

    PoolRecord observed(Instant at, int pendingNow, int autoscaledNow) {
        return new PoolRecord(
                at,
                pendingNow,
                autoscaledNow,
                target,
                lastChange == null ? at : lastChange,
                governingCommand,
                provisionTarget,
                provisionAt,
                requestRule,
                headroom,
                replacements,
                callSeq,
                observeError);
    }

    PoolRecord failing(String error) {
        return new PoolRecord(
                observedAt,
                pending,
                autoscaled,
                target,
                lastChange,
                governingCommand,
                provisionTarget,
                provisionAt,
                requestRule,
                headroom,
                replacements,
                callSeq,
                error);
    }

    PoolRecord retargeted(int newTarget, String command, Instant at) {
        return new PoolRecord(
                observedAt,
                pending,
                autoscaled,
                newTarget,
                at,
                command,
                provisionTarget,
                provisionAt,
                requestRule,
                headroom,
                replacements,
                callSeq,
                observeError);
    }

    /** The same, its cooldown started again at {@code at} unless it runs past it already. */
    PoolRecord coolingFrom(Instant at) {
        return lastChange != null && !lastChange.isBefore(at)
                ? this
                : retargeted(target, governingCommand, at);
    }

    PoolRecord governedBy(String command) {
        return new PoolRecord(
                observedAt,
                pending,
                autoscaled,
                target,
                lastChange,
                command,
                provisionTarget,
                provisionAt,
                requestRule,
                headroom,
                replacements,
                callSeq,
                observeError);
    }

    PoolRecord provisioning(int forTarget, Instant at, Rule rule) {
        return new PoolRecord(
                observedAt,
                pending,
                autoscaled,
                target,
                lastChange,
                governingCommand,
                forTarget,
                at,
                rule,
                headroom,
                0,
                callSeq,
                observeError);
    }

    PoolRecord provisioned() {
        return new PoolRecord(
                observedAt,
                pending,
                autoscaled,
                target,
                lastChange,
                governingCommand,
                provisionTarget,
                null,
                requestRule,
                headroom,
                replacements,
                callSeq,
                observeError);
    }

    PoolRecord prepared(int newHeadroom) {
        return new PoolRecord(
                observedAt,
                pending,
                autoscaled,
                target,
                lastChange,
                governingCommand,
                provisionTarget,
                provisionAt,
                requestRule,
                newHeadroom,
                replacements,
                callSeq,
                observeError);
    }

    PoolRecord failed() {
        return new PoolRecord(
                observedAt,
                pending,
                autoscaled,
                target,
                lastChange,
                governingCommand,
                provisionTarget,
                provisionAt,
                requestRule,
                headroom,
                replacements + 1,
                callSeq,
                observeError);
    }

    PoolRecord nextCall() {
        return new PoolRecord(
                observedAt,
                pending,
                autoscaled,
                target,
                lastChange,
                governingCommand,
                provisionTarget,
                provisionAt,
                requestRule,
                headroom,
                replacements,
                callSeq + 1,
                observeError);
    }
}
