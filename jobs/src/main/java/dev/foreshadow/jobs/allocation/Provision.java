package dev.foreshadow.jobs.allocation;

import dev.foreshadow.connectors.records.AllocationStatus;
import dev.foreshadow.connectors.resources.Check;
import dev.foreshadow.connectors.resources.ResourceManager;
import dev.foreshadow.models.lifecycle.Call;
import dev.foreshadow.models.lifecycle.ChangeIds;
import dev.foreshadow.models.lifecycle.ChangeKind;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Makes the reconciler's calls of the pools' managers, off the operator's thread, one at a time per
 * pool. Input: {@link Call}s. Output: the audited outcomes that no observation will show: the
 * instances a provision requested, the headroom prepared, and every call that failed (after its
 * retries, or timed out), with the reason; a call's other effects show up as transitions at the
 * pool's next observation. A failure never stops the job: the reconciler makes the call again.
 */
final class Provision extends RichAsyncFunction<Call, AllocationStatus> {

    private static final long serialVersionUID = 1L;

    private final Map<String, AllocationSettings.Pool> pools;
    private transient Managers managers;

    Provision(Map<String, AllocationSettings.Pool> pools) {
        this.pools = pools;
    }

    @Override
    public void open(OpenContext context) {
        managers = new Managers(pools, "provision");
    }

    @Override
    public void asyncInvoke(Call call, ResultFuture<AllocationStatus> result) {
        managers.thread(call.pool()).execute(() -> result.complete(apply(call)));
    }

    private List<AllocationStatus> apply(Call c) {
        try {
            ResourceManager m = managers.of(c.pool());
            Instant now = m.clock().instant();
            switch (c.kind()) {
                case PROVISION -> {
                    ResourceManager.Provisioned p = m.provision(c.count());
                    if (p.requested() == 0) {
                        return List.of(); // availability first: the pool had enough
                    }
                    return List.of(
                            status(
                                    c,
                                    now,
                                    ChangeKind.REQUEST,
                                    "requested "
                                            + p.requested()
                                            + " (the pool had "
                                            + p.had()
                                            + " of "
                                            + c.count()
                                            + "): "
                                            + c.detail()));
                }
                case VALIDATE ->
                        pools.get(c.pool()).validation().validate(m, c.instanceId(), c.deadline());
                case FAIL -> m.recordValidation(c.instanceId(), Check.failed(c.detail()));
                case PUT_IN_SERVICE -> m.putInService(c.instanceId());
                case DRAIN -> m.drain(c.instanceId());
                case RELEASE -> m.release(c.instanceId());
                case PREPARE -> {
                    String done = m.prepare(c.count());
                    return done == null
                            ? List.of()
                            : List.of(status(c, now, ChangeKind.PREPARE, done));
                }
            }
            return List.of();
        } catch (Exception e) {
            return List.of(
                    failed(c, managers.clock(c.pool()).instant(), String.valueOf(e.getMessage())));
        }
    }

    @Override
    public void timeout(Call call, ResultFuture<AllocationStatus> result) {
        result.complete(
                List.of(
                        failed(
                                call,
                                managers.clock(call.pool()).instant(),
                                "no answer within the call timeout")));
    }

    @Override
    public void close() {
        if (managers != null) {
            managers.close();
        }
    }

    /** Whether a call failed (and is worth a retry). */
    static boolean failed(Collection<AllocationStatus> results) {
        return results.stream().anyMatch(s -> ChangeKind.CALL_FAILED.wireName().equals(s.action()));
    }

    private static AllocationStatus failed(Call c, Instant at, String error) {
        String what =
                c.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + (c.instanceId() == null ? "" : " " + c.instanceId());
        return status(c, at, ChangeKind.CALL_FAILED, what + " failed: " + error);
    }

    private static AllocationStatus status(Call c, Instant at, ChangeKind kind, String result) {
        return new AllocationStatus(
                ChangeIds.of(c.callId(), kind),
                at,
                c.pool(),
                kind.wireName(),
                c.commandId(),
                c.instanceId(),
                null,
                null,
                c.rule().wireName(),
                result,
                null);
    }
}
