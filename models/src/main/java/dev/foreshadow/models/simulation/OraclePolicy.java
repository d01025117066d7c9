package dev.foreshadow.models.simulation;

/**
 * The perfect-foresight reference: it knows every future arrival and task ({@link
 * UnboundedDemand}), so each instance is requested exactly one lead time before it is needed and
 * released as soon as it is not needed within one lead time: the target at {@code t} is the most
 * instances the unbounded schedule needs in {@code [t, t + lead]}. It still never holds less than
 * the work present (running or waiting), which only matters when warm-up failures or packing have
 * delayed a run beyond its unbounded schedule.
 */
final class OraclePolicy implements Policy {

    private final UnboundedDemand demand;
    private final int[] target;

    OraclePolicy(UnboundedDemand demand, long leadMs) {
        this.demand = demand;
        int ahead = (int) ((leadMs + demand.binMs - 1) / demand.binMs);
        int n = demand.instances.length;
        target = new int[n];
        // sliding maximum over [b, b + ahead] with a monotone deque of bin indices
        int[] deque = new int[n];
        int head = 0;
        int tail = 0;
        for (int b = n - 1; b >= 0; b--) {
            while (tail > head && demand.instances[deque[tail - 1]] <= demand.instances[b]) {
                tail--;
            }
            deque[tail++] = b;
            while (deque[head] > b + ahead) {
                head++;
            }
            target[b] = demand.instances[deque[head]];
        }
    }

    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public long periodMs() {
        return demand.binMs;
    }

    @Override
    public void start(Cluster cluster, long now) {
        tick(cluster, now);
    }

    @Override
    public void tick(Cluster cluster, long now) {
        int b = (int) Math.floorDiv(now - demand.originMs, demand.binMs);
        int planned = b >= 0 && b < target.length ? target[b] : 0;
        long work = cluster.busyCores() + cluster.queuedCores();
        int present = (int) ((work + cluster.coresPerInstance() - 1) / cluster.coresPerInstance());
        cluster.scaleTo(Math.max(planned, present));
    }
}
