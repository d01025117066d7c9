package dev.foreshadow.models.planning;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The contract between planner and allocator, as arithmetic: a decision is a floor "at least N
 * instances READY by readyBy, until expiresAt", in force from the moment it is issued (capacity
 * must be asked for a lead time ahead to be READY by then); the pool's target is the largest floor
 * in force, clamped to [min, max]; it scales in only once floors have expired and the target has
 * stayed lower for the cooldown (the target used is the highest of the cooldown's window).
 */
public final class PoolFloors {

    private final int min;
    private final int max;
    private final long cooldownMs;
    private final List<Decision> inForce = new ArrayList<>();

    /** Recent raw targets (time, instances), for the cooldown. */
    private final Deque<long[]> recent = new ArrayDeque<>();

    public PoolFloors(int min, int max, long cooldownMs) {
        if (min < 0 || max < min || cooldownMs < 0) {
            throw new IllegalArgumentException("needs 0 <= min <= max and a cooldown >= 0");
        }
        this.min = min;
        this.max = max;
        this.cooldownMs = cooldownMs;
    }

    public void add(Decision d) {
        if (d.expiresAtMs() <= d.issuedAtMs()) {
            throw new IllegalArgumentException("a floor must expire after it is issued");
        }
        inForce.add(d);
    }

    /** The pool's target at {@code now} (call with non-decreasing times). */
    public int target(long now) {
        int raw = 0;
        for (int i = inForce.size() - 1; i >= 0; i--) {
            Decision d = inForce.get(i);
            if (d.expiresAtMs() <= now) {
                inForce.remove(i);
            } else if (d.issuedAtMs() <= now) {
                raw = Math.max(raw, d.instances());
            }
        }
        raw = Math.max(min, Math.min(max, raw));
        recent.addLast(new long[] {now, raw});
        while (recent.peekFirst()[0] <= now - cooldownMs && recent.size() > 1) {
            recent.pollFirst();
        }
        int target = raw;
        for (long[] r : recent) {
            target = (int) Math.max(target, r[1]);
        }
        return target;
    }
}
