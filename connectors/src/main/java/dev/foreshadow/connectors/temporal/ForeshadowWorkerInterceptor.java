package dev.foreshadow.connectors.temporal;

import dev.foreshadow.connectors.kafka.EventPublisher;
import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.Security;
import dev.foreshadow.connectors.records.WorkflowEvent;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Map;

/**
 * A Temporal worker interceptor that shadows every workflow and activity the worker runs: it
 * publishes foreshadow's workflow events to Kafka through an {@link EventPublisher} (asynchronous,
 * bounded, never slowing or failing the worker). A workflow's start and end become {@code
 * WORKFLOW_STARTED} and {@code WORKFLOW_FINISHED}, with its parent workflow's run as {@code
 * triggeredBy}; each attempt of an activity becomes {@code ACTION_STARTED} and {@code
 * ACTION_FINISHED} (or {@code ACTION_FAILED} when it throws), with the attempt number, its
 * duration, the CPU time of its thread and the bytes its thread allocated (an upper bound of the
 * heap it needed, reported as {@code peakMemoryBytes}), from the JVM's {@link ThreadMXBean}. The
 * tenant is the workflow's Temporal namespace unless one is given.
 *
 * <p>Workflow code is replayed when a worker recovers a workflow; events are published only when it
 * is not replaying, and their ids are derived from the run, activity and attempt, so what is
 * published twice anyway (a worker that died after publishing) is deduplicated by the shadow.
 *
 * <pre>
 * EventPublisher events = new EventPublisher(kafkaProperties, "workflow-events", 10_000);
 * WorkerFactory factory = WorkerFactory.newInstance(client,
 *     WorkerFactoryOptions.newBuilder()
 *         .setWorkerInterceptors(new ForeshadowWorkerInterceptor(events))
 *         .build());
 * </pre>
 */
public final class ForeshadowWorkerInterceptor extends WorkerInterceptorBase {

    private final EventPublisher events;
    private final String tenant;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** Events of tenant = each workflow's namespace. */
    public ForeshadowWorkerInterceptor(EventPublisher events) {
        this(events, null);
    }

    /** Events of {@code tenant} (null: each workflow's namespace). */
    public ForeshadowWorkerInterceptor(EventPublisher events, String tenant) {
        this.events = events;
        this.tenant = tenant;
    }

    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
        return new WorkflowInboundCallsInterceptorBase(next) {
            @Override
            public WorkflowOutput execute(WorkflowInput input) {
                publishRun(EventType.WORKFLOW_STARTED);
                WorkflowOutput out;
                try {
                    out = super.execute(input);
                } catch (RuntimeException failure) {
                    publishRun(EventType.WORKFLOW_FINISHED); // failed, or continued as new
                    throw failure;
                }
                // an Error (the worker evicting the workflow from its cache) ends no run
                publishRun(EventType.WORKFLOW_FINISHED);
                return out;
            }
        };
    }

    private void publishRun(EventType type) {
        if (Workflow.isReplaying()) {
            return;
        }
        WorkflowInfo info = Workflow.getInfo();
        publish(
                new WorkflowEvent(
                        info.getRunId() + ":" + type.name().toLowerCase(),
                        type,
                        Instant.ofEpochMilli(Workflow.currentTimeMillis()),
                        tenant == null ? info.getNamespace() : tenant,
                        info.getWorkflowType(),
                        info.getRunId(),
                        null,
                        null,
                        info.getParentRunId().orElse(null),
                        null,
                        ActionMetrics.NONE,
                        Security.NONE,
                        null,
                        Map.of("workflowId", info.getWorkflowId())));
    }

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {
            private ActivityInfo info;

            @Override
            public void init(ActivityExecutionContext context) {
                info = context.getInfo();
                super.init(context);
            }

            @Override
            public ActivityOutput execute(ActivityInput input) {
                long startNanos = System.nanoTime();
                Instant start = Instant.now();
                long cpu0 = cpuNanos();
                long allocated0 = allocatedBytes();
                publishAction(EventType.ACTION_STARTED, start, null);
                boolean failed = true;
                try {
                    ActivityOutput out = super.execute(input);
                    failed = false;
                    return out;
                } finally {
                    long cpu = cpuNanos() - cpu0;
                    long allocated = allocatedBytes() - allocated0;
                    publishAction(
                            failed ? EventType.ACTION_FAILED : EventType.ACTION_FINISHED,
                            Instant.now(),
                            new ActionMetrics(
                                    (System.nanoTime() - startNanos) / 1_000_000,
                                    cpu < 0 ? null : cpu / 1e9,
                                    null,
                                    allocated < 0 ? null : allocated,
                                    null,
                                    null,
                                    null,
                                    null));
                }
            }

            private void publishAction(EventType type, Instant at, ActionMetrics metrics) {
                String attempt = Integer.toString(info.getAttempt());
                publish(
                        new WorkflowEvent(
                                info.getWorkflowRunId()
                                        + ":"
                                        + info.getActivityId()
                                        + ":"
                                        + attempt
                                        + ":"
                                        + (type == EventType.ACTION_STARTED ? "start" : "end"),
                                type,
                                at,
                                tenant == null ? info.getNamespace() : tenant,
                                info.getWorkflowType(),
                                info.getWorkflowRunId(),
                                info.getActivityType(),
                                info.getActivityId(),
                                null,
                                info.getAttempt(),
                                metrics,
                                Security.NONE,
                                null,
                                Map.of("workflowId", info.getWorkflowId())));
            }
        };
    }

    /** CPU time of this thread, or -1 where the JVM does not measure it. */
    private long cpuNanos() {
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    }

    /** Bytes this thread allocated so far, or -1 where the JVM does not count them. */
    private long allocatedBytes() {
        return threads instanceof com.sun.management.ThreadMXBean sun
                        && sun.isThreadAllocatedMemorySupported()
                ? sun.getCurrentThreadAllocatedBytes()
                : -1;
    }

    private void publish(WorkflowEvent e) {
        try {
            events.publish(e);
        } catch (RuntimeException ignored) {
            // shadowing must never fail the workflow it shadows; the publisher counts what it drops
        }
    }
}
