package dev.foreshadow.jobs.allocation;

/** The heartbeat of one pool: time to ask its manager what it has. */
public record Tick(String pool, long seq) {}
