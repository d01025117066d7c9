package dev.foreshadow.models.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle of one instance of a pool, and the only transitions it may take:
 *
 * <pre>
 * REQUESTED -> PROVISIONING -> WARMING -> READY -> IN_SERVICE -> DRAINING -> RELEASED
 *     \             \             \          \          \             \
 *      +-------------+-------------+----------+----------+-------------+--> FAILED -> RELEASED
 * </pre>
 *
 * Any state before DRAINING may also be drained (capacity no longer needed); WARMING is where the
 * validation runs, and only a validated instance becomes READY, so a FAILED warm-up never serves.
 * The graph has no cycle: an instance takes each transition at most once.
 */
public enum InstanceState {
    /** Asked of the manager; nothing runs yet. */
    REQUESTED("requested"),
    /** Booting: a VM starting, a pod being scheduled and pulled. */
    PROVISIONING("provisioning"),
    /** Running its warm-up; the readiness probe and the smoke check decide whether it may serve. */
    WARMING("warming"),
    /** Validated, not yet serving. */
    READY("ready"),
    /** Serving work. */
    IN_SERVICE("in-service"),
    /** Takes no new work; released once the work it has is done. */
    DRAINING("draining"),
    /** Given back to the manager. */
    RELEASED("released"),
    /** Failed its validation or was lost; released and replaced, never put in service. */
    FAILED("failed");

    private static final Map<InstanceState, Set<InstanceState>> NEXT =
            new EnumMap<>(InstanceState.class);

    static {
        NEXT.put(REQUESTED, EnumSet.of(PROVISIONING, DRAINING, FAILED));
        NEXT.put(PROVISIONING, EnumSet.of(WARMING, DRAINING, FAILED));
        NEXT.put(WARMING, EnumSet.of(READY, DRAINING, FAILED));
        NEXT.put(READY, EnumSet.of(IN_SERVICE, DRAINING, FAILED));
        NEXT.put(IN_SERVICE, EnumSet.of(DRAINING, FAILED));
        NEXT.put(DRAINING, EnumSet.of(RELEASED, FAILED));
        NEXT.put(FAILED, EnumSet.of(RELEASED));
        NEXT.put(RELEASED, EnumSet.noneOf(InstanceState.class));
    }

    private final String wireName;

    InstanceState(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire and in {@code allocation_events}. */
    public String wireName() {
        return wireName;
    }

    /** Whether {@code next} is a legal transition from this state. */
    public boolean canMoveTo(InstanceState next) {
        return NEXT.get(this).contains(next);
    }

    /**
     * The legal steps from this state to {@code target}, shortest first-declared path, without this
     * state: a manager observed only every poll may report an instance several steps ahead
     * (REQUESTED to WARMING is [PROVISIONING, WARMING]). Empty when {@code target} is this state;
     * absent when it cannot be reached (a step back).
     */
    public Optional<List<InstanceState>> pathTo(InstanceState target) {
        if (target == this) {
            return Optional.of(List.of());
        }
        Map<InstanceState, InstanceState> previous = new EnumMap<>(InstanceState.class);
        ArrayDeque<InstanceState> queue = new ArrayDeque<>(List.of(this));
        while (!queue.isEmpty()) {
            InstanceState s = queue.poll();
            for (InstanceState n : NEXT.get(s)) {
                if (n != this && !previous.containsKey(n)) {
                    previous.put(n, s);
                    if (n == target) {
                        List<InstanceState> path = new ArrayList<>();
                        for (InstanceState at = n; at != this; at = previous.get(at)) {
                            path.add(at);
                        }
                        Collections.reverse(path);
                        return Optional.of(List.copyOf(path));
                    }
                    queue.add(n);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the instance counts towards the pool's capacity (asked for and not given up). */
    public boolean isActive() {
        return compareTo(IN_SERVICE) <= 0;
    }

    /** Whether the instance is validated capacity: READY or IN_SERVICE. */
    public boolean isReady() {
        return this == READY || this == IN_SERVICE;
    }

    /** The state of a wire name, or an error naming it. */
    public static InstanceState ofWireName(String name) {
        for (InstanceState s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no instance state " + name);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
