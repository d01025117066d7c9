package dev.foreshadow.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.Security;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EventPublisherTest {

    @Test
    void aBrokerThatIsAwayNeverBlocksThePublisherItOnlyCountsWhatItDrops() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens here once the socket is closed
        }
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", "127.0.0.1:" + closedPort);
        EventPublisher events = new EventPublisher(kafka, Topics.WORKFLOW_EVENTS, 10);

        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            accepted += events.publish(event(i)) ? 1 : 0;
        }

        // the sender holds at most one event while it waits for the broker, the queue ten more
        assertThat(accepted).isBetween(10, 11);
        assertThat(events.dropped()).isEqualTo(1000 - accepted);
        events.close(Duration.ofMillis(200));
        assertThat(events.published()).isZero();
    }

    private static WorkflowEvent event(int i) {
        return new WorkflowEvent(
                "e" + i,
                EventType.WORKFLOW_STARTED,
                Instant.now(),
                "shop",
                "etl",
                "run-" + i,
                null,
                null,
                null,
                null,
                ActionMetrics.NONE,
                Security.NONE,
                null,
                Map.of());
    }
}
