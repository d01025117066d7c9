package dev.foreshadow.models.planning;

/**
 * What a pool looks like when the planner plans: its instances READY and on their way, the cores
 * its running tasks use and those its waiting tasks need (the demand realised now).
 */
public record PoolObservation(
        int readyInstances, int pendingInstances, double busyCores, double queuedCores) {}
