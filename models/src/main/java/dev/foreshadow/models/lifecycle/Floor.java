package dev.foreshadow.models.lifecycle;

import dev.foreshadow.models.domain.AllocationReason;
import java.time.Duration;
import java.time.Instant;

/**
 * One command in force: the pool must have at least {@code instances} READY by {@code readyBy},
 * until {@code expiresAt}. Its capacity is requested one lead time before {@code readyBy}.
 *
 * @param fingerprint a hash of the whole command, so that a second command under the same id with
 *     other content is told from a replay
 * @param readyByChecked whether the readyBy check (met or missed) was recorded
 */
public record Floor(
        String commandId,
        int instances,
        Instant readyBy,
        Instant expiresAt,
        AllocationReason reason,
        long fingerprint,
        boolean readyByChecked) {

    public Floor {
        if (instances < 0) {
            throw new IllegalArgumentException("a floor needs instances >= 0, got " + instances);
        }
        if (!expiresAt.isAfter(readyBy)) {
            throw new IllegalArgumentException(
                    "a floor must expire after its readyBy, got " + readyBy + " to " + expiresAt);
        }
    }

    /** When its capacity is first asked for. */
    public Instant inForceFrom(Duration leadTime) {
        return readyBy.minus(leadTime);
    }

    /** Whether it counts towards the target at {@code now}. */
    public boolean inForceAt(Instant now, Duration leadTime) {
        return !now.isBefore(inForceFrom(leadTime)) && now.isBefore(expiresAt);
    }

    Floor checked() {
        return new Floor(commandId, instances, readyBy, expiresAt, reason, fingerprint, true);
    }
}
