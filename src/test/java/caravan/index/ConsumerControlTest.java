package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The consumer's edges, against Kafka's own in-memory consumer. */
class ConsumerControlTest {
    private static final TopicPartition P0 = new TopicPartition("logs-raw", 0);
    private static final TopicPartition P1 = new TopicPartition("logs-raw", 1);

    private final ConsumerControl control = new ConsumerControl();
    private final MockConsumer<String, byte[]> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final AtomicBoolean circuitOpen = new AtomicBoolean();

    @Test
    void pausedConsumptionResumesOnlyWhenTheCircuitIsNotOpen() {
        control.setResumableCheck(o -> !circuitOpen.get());
        AtomicInteger betweenPolls = new AtomicInteger();
        control.hooks(() -> { }, betweenPolls::incrementAndGet);
        kafka.assign(List.of(P0));
        control.setConsumer(kafka);
        assertThat(control.afterConsume(null)).isTrue(); // not paused: the poll goes to the route
        assertThat(betweenPolls).hasValue(1);

        control.pause();
        circuitOpen.set(true);
        control.resumeIfAllowed();
        assertThat(control.isPaused()).isTrue();
        assertThat(control.afterConsume(null)).isFalse(); // the poll is not handed to the route
        assertThat(kafka.paused()).containsExactly(P0);
        assertThat(betweenPolls).hasValue(1);

        circuitOpen.set(false); // half-open: the next batch is the probe
        assertThat(control.afterConsume(null)).isTrue();
        assertThat(control.isPaused()).isFalse();
        assertThat(kafka.paused()).isEmpty();
        assertThat(betweenPolls).hasValue(2);
    }

    @Test
    void aPartitionThatWasNotPausedDuringThePollGoesBackToItsCommittedOffset() {
        control.setResumableCheck(o -> false);
        kafka.assign(List.of(P0, P1));
        kafka.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        kafka.commitSync(Map.of(P1, new OffsetAndMetadata(7)));
        control.setConsumer(kafka);
        control.pause();
        kafka.resume(List.of(P0, P1)); // as after a rebalance: the assignment is not paused any more
        kafka.seek(P0, 30);
        kafka.seek(P1, 40);
        assertThat(control.afterConsume(null)).isFalse();
        assertThat(kafka.position(P1)).isEqualTo(7); // read again after the resume, from the commit
        assertThat(kafka.position(P0)).isZero(); // no commit yet: from the beginning (autoOffsetReset=earliest)
        assertThat(kafka.paused()).containsExactlyInAnyOrder(P0, P1);
    }

    @Test
    void aRebalanceCommitsWhatIsSettledOfTheRevokedPartitionsAndPausesNewOnesDuringAWait() {
        OffsetTracker offsets = new OffsetTracker();
        List<Map<TopicPartition, OffsetAndMetadata>> commits = new java.util.ArrayList<>();
        MockConsumer<String, byte[]> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST) {
            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets,
                                                java.time.Duration timeout) {
                commits.add(offsets);
                super.commitSync(offsets, timeout);
            }
        };
        control.setConsumer(kafka);
        RebalanceHook hook = new RebalanceHook(control, offsets);
        AtomicInteger camelRevoked = new AtomicInteger();
        hook.subscribe(kafka, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                camelRevoked.incrementAndGet();
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
            }
        }, new TopicInfo(null, "logs-raw"));
        kafka.updateBeginningOffsets(Map.of(P0, 5L, P1, 0L));
        kafka.rebalance(List.of(P0));
        offsets.add(P0, 5);
        offsets.add(P0, 6);
        offsets.processed(P0, 5);

        control.pause(); // a batch waits
        kafka.rebalance(List.of(P1));
        assertThat(commits).containsExactly(Map.of(P0, new OffsetAndMetadata(6))); // 6 is not settled
        assertThat(offsets.partitions()).containsExactly(P1); // P0 forgotten; P1 counted from where its fetch starts
        assertThat(camelRevoked).hasPositiveValue();
        assertThat(kafka.paused()).contains(P1); // assigned after the pause, paused on assignment
    }

    @Test
    void onlyPartitionsAssignedNowAreCommitted() {
        kafka.assign(List.of(P0));
        control.setConsumer(kafka);
        assertThat(control.commit(Map.of(P0, new OffsetAndMetadata(4), P1, new OffsetAndMetadata(9)))).isTrue();
        assertThat(kafka.committed(java.util.Set.of(P0, P1))).containsEntry(P0, new OffsetAndMetadata(4))
                .doesNotContainKey(P1);
        assertThat(control.commit(Map.of(P1, new OffsetAndMetadata(12)))).isTrue(); // nothing of ours to send
        assertThat(kafka.committed(java.util.Set.of(P1)).get(P1)).isNull();
    }

    @Test
    void anAssignedPartitionCountsItsCommitsFromWhereItsFetchStarts() {
        OffsetTracker offsets = new OffsetTracker();
        control.setConsumer(kafka);
        new RebalanceHook(control, offsets).subscribe(kafka, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
            }
        }, new TopicInfo(null, "logs-raw"));
        kafka.updateBeginningOffsets(Map.of(P0, 0L));
        kafka.commitSync(Map.of(P0, new OffsetAndMetadata(20)));
        kafka.rebalance(List.of(P0));
        offsets.add(P0, 25); // polled before the rebalance
        offsets.processed(P0, 25);
        assertThat(offsets.committable()).isEmpty();
        offsets.add(P0, 20);
        offsets.processed(P0, 20);
        assertThat(offsets.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(21)));
    }
}
