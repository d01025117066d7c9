package dev.foreshadow.models.domain;

import java.io.Serializable;

/**
 * A pool of capacity that allocation commands size and the allocator provisions: a Kubernetes
 * Deployment, an Auto Scaling group, a simulated VM pool. Pools are named in configuration; the
 * default pool of a workflow type is named after the tenant and the type.
 */
public record PoolId(String name) implements Serializable, Comparable<PoolId> {

    public PoolId {
        Ids.require("pool", name);
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new IllegalArgumentException("a pool name may not hold control characters");
            }
        }
    }

    /** The pool a workflow type runs on when no pool is configured for it: {@code tenant/type}. */
    public static PoolId defaultFor(WorkloadKey key) {
        return new PoolId(key.tenant() + "/" + key.workflowType());
    }

    @Override
    public int compareTo(PoolId o) {
        return name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
