package dev.foreshadow.models.planning;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The Kubernetes Horizontal Pod Autoscaler's rule on CPU utilisation, as its documentation states
 * it ("Horizontal Pod Autoscaling", algorithm details and configurable scaling behavior) and its
 * replica calculator computes it: {@code desired = ceil(current x utilisation / target)} over the
 * ready pods, no change while the ratio is within the tolerance, pods not yet ready counted at 0%
 * when the ratio says scale up (and no change if that reverses the direction), scale-up at most
 * {@code max(100%, 4 pods)} per 15 s period, scale-down to the highest recommendation of the
 * stabilisation window, clamped to [min, max] replicas. Input per sync: the replicas the workload
 * has, how many are ready, and the CPU they use; output: the replicas to set.
 */
public final class HorizontalPodAutoscaler {

    /** The defaults of autoscaling/v2 and kube-controller-manager. */
    public record Settings(
            double targetUtilisation,
            double tolerance,
            long syncPeriodMs,
            long scaleDownStabilisationMs,
            int scaleUpPods,
            double scaleUpPercent,
            int minReplicas,
            int maxReplicas) {

        public static Settings defaults(int maxReplicas) {
            return new Settings(0.7, 0.1, 15_000, 300_000, 4, 100, 1, maxReplicas);
        }

        public Settings {
            if (!(targetUtilisation > 0) || tolerance < 0 || syncPeriodMs <= 0) {
                throw new IllegalArgumentException("bad HPA settings");
            }
            if (minReplicas < 0 || maxReplicas < Math.max(1, minReplicas)) {
                throw new IllegalArgumentException("bad HPA replica bounds");
            }
        }
    }

    private final Settings settings;

    /** Recommendations of the stabilisation window: time, replicas. */
    private final Deque<long[]> recommendations = new ArrayDeque<>();

    public HorizontalPodAutoscaler(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The replica calculator ({@code GetResourceReplicas}): the replicas the metrics ask for, or
     * {@code current} when no ready pod reports or the change is within the tolerance.
     *
     * @param usedPerReadyPod the summed usage of the ready pods, in units of one pod's request
     *     (cores used / cores per pod)
     */
    public int calculate(int current, int readyPods, int unreadyPods, double usedPerReadyPod) {
        if (readyPods == 0) {
            return current; // "did not receive metrics for any ready pods": no action
        }
        double usageRatio = usedPerReadyPod / readyPods / settings.targetUtilisation();
        boolean rebalanceUnready = unreadyPods > 0 && usageRatio > 1.0;
        if (!rebalanceUnready) {
            if (Math.abs(1.0 - usageRatio) <= settings.tolerance()) {
                return current;
            }
            return (int) Math.ceil(usageRatio * readyPods);
        }
        int counted = readyPods + unreadyPods;
        double newRatio = usedPerReadyPod / counted / settings.targetUtilisation();
        if (Math.abs(1.0 - newRatio) <= settings.tolerance() || newRatio < 1.0) {
            return current;
        }
        int replicas = (int) Math.ceil(newRatio * counted);
        return replicas < current ? current : replicas;
    }

    /**
     * One sync: the calculator's proposal stabilised (scale-down waits for the highest
     * recommendation of the window) and rate-limited (scale-up to at most {@code max(current x (1 +
     * percent), current + pods)}), clamped to the replica bounds.
     */
    public int desired(
            long now, int current, int readyPods, int unreadyPods, double usedPerReadyPod) {
        int proposal = calculate(current, readyPods, unreadyPods, usedPerReadyPod);
        recommendations.addLast(new long[] {now, proposal});
        while (!recommendations.isEmpty()
                && recommendations.peekFirst()[0] <= now - settings.scaleDownStabilisationMs()) {
            recommendations.pollFirst();
        }
        int down = proposal;
        for (long[] r : recommendations) {
            down = (int) Math.max(down, r[1]);
        }
        int replicas = current;
        if (replicas < proposal) {
            replicas = proposal; // the scale-up window is 0 s: the newest recommendation
        }
        if (replicas > down) {
            replicas = down;
        }
        if (replicas > current) {
            int limit =
                    (int)
                            Math.max(
                                    Math.ceil(current * (1 + settings.scaleUpPercent() / 100)),
                                    current + settings.scaleUpPods());
            replicas = Math.min(replicas, limit);
        }
        return Math.max(settings.minReplicas(), Math.min(settings.maxReplicas(), replicas));
    }
}
