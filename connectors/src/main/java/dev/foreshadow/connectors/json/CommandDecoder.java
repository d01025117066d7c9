package dev.foreshadow.connectors.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foreshadow.connectors.records.AllocationBasis;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.models.domain.AllocationReason;
import dev.foreshadow.models.domain.Metric;
import dev.foreshadow.models.domain.PoolId;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;

/**
 * Decodes and validates {@code allocation-commands}: bytes in, an {@link AllocationCommand} or a
 * {@link DeadLetter} naming the field and the problem. Never throws on bad input.
 *
 * <p>Rules: {@code commandId} and {@code pool} are required ids; {@code cores}, {@code
 * memoryBytes}, {@code networkBytesPerSecond} and {@code instances} are finite and not negative
 * (absent is 0); {@code readyBy}, {@code expiresAt} and {@code issuedAt} are required instants and
 * a floor ends after its readyBy (a floor without an end would hold capacity for ever); {@code
 * reason} is one of {@link AllocationReason}'s wire names; {@code quantile} is in (0, 1) or NaN;
 * {@code dryRun} is false when absent; the record is read under the size, depth and
 * one-value-per-record rules of {@link JsonInput}, and capacity within the plausible bounds of
 * {@link InputLimits} (cores, memory, network). Whether the pool exists is the job's to say.
 */
public final class CommandDecoder implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String REASONS =
            Arrays.toString(
                    Arrays.stream(AllocationReason.values())
                            .map(AllocationReason::wireName)
                            .toArray());

    private final InputLimits limits;

    /** A decoder with the default {@link InputLimits}. */
    public CommandDecoder() {
        this(InputLimits.defaults());
    }

    public CommandDecoder(InputLimits limits) {
        this.limits = limits;
    }

    public Decoded<AllocationCommand> decode(byte[] bytes, String source, Instant receivedAt) {
        try {
            AllocationCommand c = parse(bytes);
            return Decoded.ok(c, c.issuedAt());
        } catch (Rejected e) {
            return Decoded.rejected(DeadLetter.of(source, e.getMessage(), receivedAt, bytes));
        }
    }

    AllocationCommand parse(byte[] bytes) throws Rejected {
        JsonNode root = JsonInput.object(bytes, "command", limits);
        Fields f = new Fields(root, "");
        String commandId = f.requiredId("commandId");
        String pool = f.requiredId("pool");
        try {
            new PoolId(pool);
        } catch (IllegalArgumentException e) {
            throw new Rejected("pool: " + e.getMessage());
        }
        double cores =
                orZero(
                        f.bounded(
                                "cores",
                                limits.max(Metric.PEAK_CORES),
                                InputOptions.keyOf(Metric.PEAK_CORES)));
        long memory =
                Math.round(
                        orZero(
                                f.bounded(
                                        "memoryBytes",
                                        limits.max(Metric.PEAK_MEMORY_BYTES),
                                        InputOptions.keyOf(Metric.PEAK_MEMORY_BYTES))));
        long network =
                Math.round(
                        orZero(
                                f.bounded(
                                        "networkBytesPerSecond",
                                        limits.max(Metric.NETWORK_IN_BYTES),
                                        InputOptions.keyOf(Metric.NETWORK_IN_BYTES))));
        Integer instances = f.nonNegativeInt("instances");
        Instant readyBy = f.requiredInstant("readyBy");
        Instant expiresAt = f.requiredInstant("expiresAt");
        if (!expiresAt.isAfter(readyBy)) {
            throw new Rejected("expiresAt: " + expiresAt + " is not after readyBy " + readyBy);
        }
        double quantile = f.numberOrNaN("quantile");
        if (!Double.isNaN(quantile) && !(quantile > 0 && quantile < 1)) {
            throw new Rejected("quantile: must be in (0, 1) or NaN, got " + quantile);
        }
        String reason = f.optionalString("reason");
        try {
            AllocationReason.ofWireName(reason);
        } catch (IllegalArgumentException e) {
            throw new Rejected(
                    "reason: '"
                            + (reason == null ? null : Fields.abbreviate(reason))
                            + "' is not one of "
                            + REASONS);
        }
        return new AllocationCommand(
                commandId,
                pool,
                cores,
                memory,
                network,
                instances == null ? 0 : instances,
                readyBy,
                expiresAt,
                f.strings("certifications"),
                quantile,
                reason,
                f.requiredInstant("issuedAt"),
                f.optionalBoolean("dryRun", false),
                f.optionalString("rule"),
                basis(root.get("basis")));
    }

    /** The planner's explanation, as the record and its schema describe it; null when absent. */
    private static AllocationBasis basis(JsonNode node) throws Rejected {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Json.MAPPER.treeToValue(node, AllocationBasis.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new Rejected(
                    "basis: not an explanation of a command ("
                            + e.getMessage().lines().findFirst().orElse("")
                            + ")");
        }
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }
}
