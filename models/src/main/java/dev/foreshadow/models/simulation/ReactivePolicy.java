package dev.foreshadow.models.simulation;

import dev.foreshadow.models.planning.HorizontalPodAutoscaler;

/**
 * The reactive baseline: the pool is a Deployment scaled by the Kubernetes HPA on CPU utilisation
 * ({@link HorizontalPodAutoscaler}, target 70%, 15 s sync); the utilisation of a ready instance is
 * its busy cores over its cores, as metrics-server would report them, so work waiting in the queue
 * shows only as busy instances.
 */
final class ReactivePolicy implements Policy {

    private final HorizontalPodAutoscaler hpa;

    ReactivePolicy(HorizontalPodAutoscaler.Settings settings) {
        this.hpa = new HorizontalPodAutoscaler(settings);
    }

    @Override
    public String name() {
        return "reactive";
    }

    @Override
    public long periodMs() {
        return hpa.settings().syncPeriodMs();
    }

    @Override
    public void start(Cluster cluster, long now) {
        cluster.scaleTo(hpa.settings().minReplicas());
    }

    @Override
    public void tick(Cluster cluster, long now) {
        int desired =
                hpa.desired(
                        now,
                        cluster.live(),
                        cluster.readyInstances(),
                        cluster.pendingInstances(),
                        (double) cluster.readyBusyCores() / cluster.coresPerInstance());
        cluster.scaleTo(desired);
    }
}
