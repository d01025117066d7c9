package dev.foreshadow.jobs.allocation;

import dev.foreshadow.connectors.resources.ResourceException;
import dev.foreshadow.connectors.resources.ResourceManager;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resource managers of one async operator's subtask, one per pool, opened on first use; and one
 * thread per pool on which that pool's calls run one at a time, so that a provision's availability
 * check and its request are never interleaved with another call of the pool, and a slow pool delays
 * only its own calls. Not shared between operators.
 */
final class Managers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Managers.class);

    private final Map<String, AllocationSettings.Pool> pools;
    private final Map<String, ResourceManager> open = new HashMap<>();
    private final Map<String, ExecutorService> threads = new HashMap<>();
    private final String role;

    Managers(Map<String, AllocationSettings.Pool> pools, String role) {
        this.pools = pools;
        this.role = role;
    }

    /** The thread that runs {@code pool}'s calls. */
    synchronized ExecutorService thread(String pool) {
        return threads.computeIfAbsent(
                pool,
                p ->
                        Executors.newSingleThreadExecutor(
                                r -> {
                                    Thread t = new Thread(r, "foreshadow-" + role + "-" + p);
                                    t.setDaemon(true);
                                    return t;
                                }));
    }

    /** The manager of {@code pool}, opened now if it is not yet. Called on the pool's thread. */
    synchronized ResourceManager of(String pool) throws ResourceException {
        ResourceManager m = open.get(pool);
        if (m == null) {
            AllocationSettings.Pool p = pools.get(pool);
            if (p == null) {
                throw new ResourceException("pool " + pool + " is not configured");
            }
            m = p.manager().open(p.id(), p.shape());
            open.put(pool, m);
        }
        return m;
    }

    /** The clock of {@code pool}'s manager; the system's while none could be opened. */
    synchronized InstantSource clock(String pool) {
        ResourceManager m = open.get(pool);
        return m == null ? InstantSource.system() : m.clock();
    }

    @Override
    public synchronized void close() {
        threads.values().forEach(ExecutorService::shutdownNow);
        for (ExecutorService t : threads.values()) {
            try {
                t.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Map.Entry<String, ResourceManager> e : open.entrySet()) {
            try {
                e.getValue().close();
            } catch (RuntimeException ex) {
                LOG.warn("closing the manager of pool {} failed", e.getKey(), ex);
            }
        }
        open.clear();
        threads.clear();
    }
}
