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
        Decision.Basis b = d.basis();
        return new AllocationCommand(
                "plan:" + d.pool() + ":" + d.issuedAtMs(),
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
                Instant.ofEpochMilli(d.issuedAtMs()),
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
