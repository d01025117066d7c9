package dev.foreshadow.connectors.records;

import java.time.Instant;
import java.util.List;

/**
 * Capacity that a pool must have ready by {@code readyBy}, emitted on {@code allocation-commands}
 * for the allocator.
 *
 * @param quantile the forecast quantile the capacity was sized for (0.9 = P90), or NaN for anomaly
 *     commands
 * @param reason why, as an {@code AllocationReason} wire name: {@code forecast}, {@code
 *     dependency}, {@code external-event}, {@code anomaly} or {@code reactive}
 * @param dryRun true in forecast-only mode: the allocator records the command and applies nothing
 *     (false for commands written before the field existed)
 */
public record AllocationCommand(
        String commandId,
        String pool,
        double cores,
        long memoryBytes,
        long networkBytesPerSecond,
        int instances,
        Instant readyBy,
        Instant expiresAt,
        List<String> certifications,
        double quantile,
        String reason,
        Instant issuedAt,
        boolean dryRun) {

    public AllocationCommand {
        certifications = certifications == null ? List.of() : List.copyOf(certifications);
    }
}
