/**
 * The AllocationJob: {@code allocation-commands -> keyBy(pool) Reconciler -> async resource manager
 * -> allocation-status}, which provisions and warms capacity before demand arrives (see DESIGN.md).
 * It shares {@code jobs.common} with ShadowJob and never imports {@code jobs.shadow}: the contract
 * between the two jobs is the {@code allocation-commands} topic, its record and its JSON Schema.
 */
package dev.foreshadow.jobs.allocation;
