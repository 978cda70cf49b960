package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.devstack.DevStack;
import caravan.index.ConsumerControl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A member does not commit a partition assigned to another, on a real broker: the broker takes a
 * commit from any member of the group for any partition, so an old owner's late one would move the
 * new owner's commit back (the soak's drain that never finished, with every line indexed).
 */
class RebalanceCommitIT {

    @Test
    void aPartitionOfAnotherMemberIsNotCommittedOverItsOwner() throws Exception {
        String bootstrap = DevStack.shared().kafkaBootstrap();
        String topic = "rebalance-commit-" + UUID.randomUUID().toString().substring(0, 8);
        String group = topic + "-group";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<byte[], byte[]> a = consumer(bootstrap, group);
             KafkaConsumer<byte[], byte[]> b = consumer(bootstrap, group)) {
            a.subscribe(List.of(topic));
            b.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (a.assignment().size() != 1 || b.assignment().size() != 1) {
                assertThat(System.nanoTime()).as("the two members share the two partitions").isLessThan(deadline);
                a.poll(Duration.ofMillis(100));
                b.poll(Duration.ofMillis(100));
            }
            TopicPartition ofA = a.assignment().iterator().next();
            TopicPartition ofB = b.assignment().iterator().next();
            b.commitSync(Map.of(ofB, new OffsetAndMetadata(10)));

            ConsumerControl control = new ConsumerControl();
            control.setConsumer(a);
            // A's records of B's partition, from before the rebalance, finished late.
            assertThat(control.commit(Map.of(ofA, new OffsetAndMetadata(5), ofB, new OffsetAndMetadata(3)))).isTrue();

            Map<TopicPartition, OffsetAndMetadata> now = b.committed(Set.of(ofA, ofB), Duration.ofSeconds(10));
            assertThat(now.get(ofB).offset()).isEqualTo(10);
            assertThat(now.get(ofA).offset()).isEqualTo(5);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
