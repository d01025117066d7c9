package dev.foreshadow.connectors.records;

import java.time.Instant;
import java.util.List;

/**
 * Capacity that a pool must have ready by {@code readyBy}, emitted on {@code allocation-commands}
 * for the allocator: a floor, "pool P must have at least {@code instances} READY by {@code
 * readyBy}, until {@code expiresAt}" (the pool's target is the largest floor in force).
 *
 * @param quantile the forecast quantile the capacity was sized for (0.9 = P90), or NaN for anomaly
 *     commands
 * @param reason why, as an {@code AllocationReason} wire name: {@code forecast}, {@code
 *     dependency}, {@code external-event}, {@code anomaly} or {@code reactive}
 * @param dryRun true in forecast-only mode: the allocator records the command and applies nothing
 *     (false for commands written before the field existed)
 * @param rule the rule that set {@code instances}: {@code forecast}, {@code reactive floor}, {@code
 *     reactive (no forecast: ...)}, then any bound that changed it ({@code maximum}, {@code
 *     budget}, {@code minimum}); null for commands not made by the planner or written before
 * @param basis what a planned command rests on; null for anomaly commands and older ones
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
        boolean dryRun,
        String rule,
        AllocationBasis basis) {

    public AllocationCommand {
        certifications = certifications == null ? List.of() : List.copyOf(certifications);
    }

    /** A command without a planner's explanation (anomaly scale-ups). */
    public AllocationCommand(
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
        this(
                commandId,
                pool,
                cores,
                memoryBytes,
                networkBytesPerSecond,
                instances,
                readyBy,
                expiresAt,
                certifications,
                quantile,
                reason,
                issuedAt,
                dryRun,
                null,
                null);
    }
}
