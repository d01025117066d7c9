package dev.foreshadow.connectors.records;

/** Money spent on an action, as reported by the engine or computed from the price catalog. */
public record Cost(double amount, String currency) {}
