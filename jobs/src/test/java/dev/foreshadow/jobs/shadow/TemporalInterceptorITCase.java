package dev.foreshadow.jobs.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.EventPublisher;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.temporal.ForeshadowWorkerInterceptor;
import dev.foreshadow.jobs.StackReads;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Temporal worker interceptor end to end: workflows run on Temporal's in-memory test server,
 * the interceptor publishes their events to a real Kafka broker, and ShadowJob shadows them into a
 * real PostgreSQL: a parent workflow that starts a child, an activity that fails twice and succeeds
 * on its third attempt.
 */
class TemporalInterceptorITCase {

    @WorkflowInterface
    public interface OrderWorkflow {
        @WorkflowMethod
        String fulfil(String order);
    }

    @WorkflowInterface
    public interface ShippingWorkflow {
        @WorkflowMethod
        String ship(String order);
    }

    @ActivityInterface
    public interface OrderActivities {
        @ActivityMethod
        String charge(String order);

        @ActivityMethod
        String pack(String order);
    }

    public static final class Order implements OrderWorkflow {
        private final OrderActivities activities =
                Workflow.newActivityStub(OrderActivities.class, OPTIONS);

        @Override
        public String fulfil(String order) {
            String shipped = Workflow.newChildWorkflowStub(ShippingWorkflow.class).ship(order);
            return activities.charge(order) + "," + shipped;
        }
    }

    public static final class Shipping implements ShippingWorkflow {
        private final OrderActivities activities =
                Workflow.newActivityStub(OrderActivities.class, OPTIONS);

        @Override
        public String ship(String order) {
            return activities.pack(order);
        }
    }

    /** Charging fails on its first two attempts; packing burns a little CPU. */
    public static final class Activities implements OrderActivities {
        final AtomicInteger charges = new AtomicInteger();

        @Override
        public String charge(String order) {
            if (charges.incrementAndGet() < 3) {
                throw ApplicationFailure.newFailure("card declined", "Declined");
            }
            return "charged " + order;
        }

        @Override
        public String pack(String order) {
            long x = 0;
            for (int i = 0; i < 5_000_000; i++) {
                x += Long.hashCode(x * 31 + i);
            }
            return "packed " + order + " " + (x & 1);
        }
    }

    static final ActivityOptions OPTIONS =
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(30))
                    .setRetryOptions(
                            RetryOptions.newBuilder()
                                    .setInitialInterval(Duration.ofSeconds(1))
                                    .setMaximumAttempts(3)
                                    .build())
                    .build();

    @Test
    @Timeout(240)
    void workflowsActivitiesRetriesAndTheParentArriveInHistory(@TempDir Path dir) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"))) {
            stack.createTopics(Topics.ALL, 2);
            try (Connection c = stack.postgres().connect()) {
                Migrations.apply(c);
            }
            String parentRun;
            try (EventPublisher events =
                    new EventPublisher(
                            stack.kafka().clientProperties(), Topics.WORKFLOW_EVENTS, 1000)) {
                TestWorkflowEnvironment temporal =
                        TestWorkflowEnvironment.newInstance(
                                TestEnvironmentOptions.newBuilder()
                                        // workflow time is wall time, as on a real server
                                        .setUseTimeskipping(false)
                                        .setWorkerFactoryOptions(
                                                WorkerFactoryOptions.newBuilder()
                                                        .setWorkerInterceptors(
                                                                new ForeshadowWorkerInterceptor(
                                                                        events, "shop"))
                                                        .build())
                                        .build());
                try {
                    Worker worker = temporal.newWorker("orders");
                    worker.registerWorkflowImplementationTypes(Order.class, Shipping.class);
                    worker.registerActivitiesImplementations(new Activities());
                    temporal.start();
                    WorkflowClient client = temporal.getWorkflowClient();
                    OrderWorkflow first = order(client, "order-981");
                    assertThat(first.fulfil("981")).startsWith("charged 981,packed 981");
                    parentRun = WorkflowStub.fromTyped(first).getExecution().getRunId();
                    assertThat(order(client, "order-982").fulfil("982")).startsWith("charged 982");
                } finally {
                    temporal.close();
                }
                assertThat(events.dropped()).isZero();
            }

            runShadowUntilRead(stack, dir);

            assertThat(deadLetters(stack)).as("every published event is valid").isEmpty();

            assertThat(
                            StackReads.rows(
                                    stack,
                                    "SELECT workflow_type || ':' || status || ':' || actions || ':' || failed_actions"
                                            + " FROM workflow_runs ORDER BY start_time, workflow_type"))
                    .as("the first order retried its charge; the second charged at once")
                    .containsExactly(
                            "OrderWorkflow:COMPLETED:3:2",
                            "ShippingWorkflow:COMPLETED:1:0",
                            "OrderWorkflow:COMPLETED:1:0",
                            "ShippingWorkflow:COMPLETED:1:0");
            assertThat(
                            StackReads.rows(
                                    stack,
                                    "SELECT action_type || ':' || attempt || ':' || failed FROM action_samples"
                                            + " WHERE action_type = 'Charge' ORDER BY time"))
                    .containsExactly(
                            "Charge:1:true", "Charge:2:true", "Charge:3:false", "Charge:1:false");
            assertThat(
                            StackReads.rows(
                                    stack,
                                    "SELECT count(*) FROM workflow_runs s JOIN workflow_runs p"
                                            + " ON s.triggered_by = p.run_id WHERE s.workflow_type ="
                                            + " 'ShippingWorkflow' AND p.workflow_type = 'OrderWorkflow'"))
                    .as("each shipment names the order that started it")
                    .containsExactly("2");
            assertThat(
                            StackReads.rows(
                                    stack,
                                    "SELECT count(*) FROM workflow_runs WHERE run_id = '"
                                            + parentRun
                                            + "'"))
                    .containsExactly("1");
            assertThat(
                            StackReads.rows(
                                    stack,
                                    "SELECT bool_and(cpu_seconds > 0 AND peak_memory_bytes > 0)"
                                            + " FROM action_samples WHERE action_type = 'Pack'"))
                    .as("the JVM measured the activity's CPU time and allocations")
                    .containsExactly("t");
        }
    }

    private static OrderWorkflow order(WorkflowClient client, String id) {
        return client.newWorkflowStub(
                OrderWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("orders").setWorkflowId(id).build());
    }

    private static void runShadowUntilRead(EmbeddedStack stack, Path dir) throws Exception {
        Map<String, String> settings = new HashMap<>(SavepointRuns.stackSettings(stack));
        settings.put("history.flush-interval", "200 ms");
        settings.put("shadow.completion-grace", "5 s");
        settings.put("watermark.out-of-orderness", "5 s");
        settings.put("watermark.idleness", "60 s");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        SavepointRuns.flinkConf(dir, null));
        env.setParallelism(2);
        env.enableCheckpointing(300);
        ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, settings))).build(env);
        JobClient job = env.executeAsync(ShadowJob.NAME);
        SavepointRuns.awaitConsumed(stack, job);
        job.stopWithSavepoint(
                        true,
                        dir.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL)
                .get();
        job.getJobExecutionResult().get();
    }

    /** The reasons of every dead letter on the topic. */
    private static List<String> deadLetters(EmbeddedStack stack) {
        Properties p = stack.kafka().clientProperties();
        p.put("group.id", "dead-letters-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.DEAD_LETTERS));
            for (int empty = 0; empty < 3; ) {
                var records = c.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                records.forEach(r -> reasons.add(Json.read(r.value(), DeadLetter.class).reason()));
            }
        }
        return reasons;
    }
}
