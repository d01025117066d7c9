package dev.foreshadow.models.planning;

import dev.foreshadow.models.domain.PoolId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which pool a workflow type's demand counts against: its configured pool when that pool holds
 * every certification the type needs (PCI-DSS, HIPAA, ...), else the first pool (by name) that
 * does; a type no pool may run is routed nowhere, never to an uncertified pool.
 */
public final class Routing {

    private final List<PoolSpec> pools;
    private final Map<String, Set<String>> required;
    private final Map<String, PoolId> configured;

    /**
     * @param required per workflow type, the certifications its actions need (absent: none)
     * @param configured per workflow type, the pool configured for it (absent: any eligible one)
     */
    public Routing(
            List<PoolSpec> pools,
            Map<String, Set<String>> required,
            Map<String, PoolId> configured) {
        this.pools = pools.stream().sorted(Comparator.comparing(PoolSpec::id)).toList();
        this.required = Map.copyOf(required);
        this.configured = Map.copyOf(configured);
    }

    public Optional<PoolId> poolOf(String workflowType) {
        Set<String> needs = required.getOrDefault(workflowType, Set.of());
        PoolId wanted = configured.get(workflowType);
        for (PoolSpec p : pools) {
            if (p.id().equals(wanted) && p.certifications().containsAll(needs)) {
                return Optional.of(p.id());
            }
        }
        return pools.stream()
                .filter(p -> p.certifications().containsAll(needs))
                .map(PoolSpec::id)
                .findFirst();
    }
}
