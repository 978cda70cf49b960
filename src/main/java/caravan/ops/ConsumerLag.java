package caravan.ops;

import caravan.common.Metrics;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets {@code caravan_kafka_consumer_lag} per partition from the group's committed offsets and the
 * topic's end offsets. Read through the admin API rather than the consumer's own metrics because
 * the index route commits by hand after Elasticsearch acknowledged: committed lag is the one that
 * says how much would be re-read after a crash.
 */
final class ConsumerLag implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);
    private final KafkaAdmin admin;
    private final String group;
    private final String topic;

    ConsumerLag(KafkaAdmin admin, String group, String topic) {
        this.admin = admin;
        this.group = group;
        this.topic = topic;
    }

    @Override
    public void run() {
        try {
            var a = admin.get();
            var parts = a.describeTopics(java.util.List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions();
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            parts.forEach(p -> q.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = a.listOffsets(q).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = a.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            ends.forEach((tp, end) -> {
                OffsetAndMetadata c = committed.get(tp);
                long done = c == null ? 0 : c.offset();
                Metrics.consumerLag(tp.topic(), tp.partition(), Math.max(0, end.offset() - done));
            });
        } catch (Exception e) {
            // The topic may not exist yet, or Kafka is down (the health check says so): keep the last values.
            LOG.debug("consumer lag not updated: {}", e.toString());
        }
    }
}
