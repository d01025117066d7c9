/**
 * The two state classes whose names the savepoints of foreshadow 0.1 hold: Flink's POJO serializer
 * records a state class by its name and cannot follow it to another package, so {@link RunState}
 * (the Shadow's runs in flight) and {@link ActionStatsAccumulator} (the open minute of the action
 * statistics) stay where 0.1 put them, and a 0.1 savepoint still restores ({@code
 * ShadowSavepointRestoreITCase}). Every other state class lives beside its operator; new state uses
 * Flink's own serializers or a versioned {@code BytesSerializer}.
 */
package dev.foreshadow.jobs.operators;
