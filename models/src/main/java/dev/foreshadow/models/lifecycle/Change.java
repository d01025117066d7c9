package dev.foreshadow.models.lifecycle;

import java.time.Instant;

/**
 * One audited change of a pool: what changed, on whose behalf, by which rule, with what result, and
 * the pool's capacity after it.
 *
 * @param id deterministic: the same change seen again has the same id
 * @param commandId the command it was made for, or null
 * @param instanceId the instance it concerns, or null
 * @param from the instance's state before (TRANSITION), or null for an instance first seen
 * @param to the instance's state after (TRANSITION), else null
 */
public record Change(
        String id,
        Instant at,
        String pool,
        ChangeKind kind,
        String commandId,
        String instanceId,
        InstanceState from,
        InstanceState to,
        Rule rule,
        String result,
        Capacity capacity) {}
