package dev.foreshadow.models.anomaly.nab;

/**
 * One NAB application profile: the weights of its cost matrix ({@code config/profiles.json}). NAB
 * ignores the true-negative weight, and so does this scorer.
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {}
