package dev.foreshadow.jobs.shadow.planner;

import dev.foreshadow.connectors.records.AllocationBasis;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.models.planning.Decision;
import java.time.Instant;

/**
 * The wire form of the planner's decisions: a {@link Decision} of {@code models/planning} becomes
 * the {@link AllocationCommand} the AllocationJob consumes, with its explanation. The command id is
 * stable for the same decision ({@code plan:<pool>:<issuedAt ms>}), so a replayed one is
 * recognised.
 */
public final class Commands {

    private Commands() {}

    public static AllocationCommand of(Decision d) {
        return of(d, "plan:" + d.pool() + ":" + d.issuedAtMs(), d.issuedAtMs());
    }

    /**
     * Revision {@code n} of the plan {@code d} (made again at its origin), issued at {@code
     * revisedAt}: id {@code plan:<pool>:<origin ms>:revision-<n>}.
     */
    public static AllocationCommand revision(Decision d, Instant revisedAt, int n) {
        return of(
                d,
                "plan:" + d.pool() + ":" + d.issuedAtMs() + ":revision-" + n,
                revisedAt.toEpochMilli());
    }

    private static AllocationCommand of(Decision d, String commandId, long issuedAtMs) {
        Decision.Basis b = d.basis();
        return new AllocationCommand(
                commandId,
                d.pool().name(),
                d.cores(),
                d.memoryBytes(),
                d.networkBytesPerSecond(),
                d.instances(),
                Instant.ofEpochMilli(d.readyByMs()),
                Instant.ofEpochMilli(d.expiresAtMs()),
                d.certifications().stream().sorted().toList(),
                d.quantile(),
                d.reason().wireName(),
                Instant.ofEpochMilli(issuedAtMs),
                d.dryRun(),
                d.rule(),
                new AllocationBasis(
                        b.forecastCoresMean(),
                        b.forecastCoresQuantile(),
                        b.inFlightCores(),
                        b.arrivalsCores(),
                        b.forecastInstances(),
                        b.reactiveInstances(),
                        b.models(),
                        b.events(),
                        b.dependencies()));
    }
}
