package dev.foreshadow.connectors.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How far a consumer group has read: what benchmarks and checks wait on. */
public final class ConsumerGroups {

    private ConsumerGroups() {}

    /**
     * Whether {@code group} has committed, on every partition of {@code topic}, the offset of its
     * end (an empty partition counts as read).
     */
    public static boolean caughtUp(Admin admin, String group, String topic)
            throws InterruptedException, ExecutionException {
        List<TopicPartition> partitions =
                admin
                        .describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return admin.listOffsets(latest).all().get().entrySet().stream()
                .allMatch(
                        e ->
                                e.getValue().offset() == 0
                                        || committed.get(e.getKey()) != null
                                                && committed.get(e.getKey()).offset()
                                                        >= e.getValue().offset());
    }
}
