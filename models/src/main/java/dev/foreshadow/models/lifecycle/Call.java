package dev.foreshadow.models.lifecycle;

import java.time.Instant;

/**
 * A call the reconciler asks of a pool's manager, made asynchronously.
 *
 * @param callId unique per pool and call
 * @param instanceId the instance it concerns, or null for PROVISION and PREPARE
 * @param count the target of PROVISION, the headroom of PREPARE, else 0
 * @param commandId the command on whose behalf it is made, or null
 * @param detail why (the failed instances a provision replaces, the deadline a warm-up missed)
 * @param at the pool's clock when it was decided
 * @param deadline the validation's deadline for VALIDATE, else null
 */
public record Call(
        String callId,
        CallKind kind,
        String pool,
        String instanceId,
        int count,
        String commandId,
        Rule rule,
        String detail,
        Instant at,
        Instant deadline) {}
