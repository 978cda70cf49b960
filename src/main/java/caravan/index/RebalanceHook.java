package caravan.index;

import java.util.Collection;
import java.util.Map;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.support.subcription.DefaultSubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the index batches of a rebalance. camel-kafka subscribes through the
 * {@link SubscribeAdapter} it finds in the registry under {@link KafkaConstants#KAFKA_SUBSCRIBE_ADAPTER};
 * this one subscribes as Camel's default does, with Camel's own rebalance listener wrapped:
 *
 * <ul>
 *   <li>revoked: what is settled of those partitions is committed while they are still ours, and
 *       the tracker forgets them (the new owner reads the rest again);</li>
 *   <li>lost: forgotten, no commit (another consumer may own them already);</li>
 *   <li>assigned: the tracker starts each afresh from the offset its fetch starts at, so that
 *       records polled before the rebalance and still held by camel-kafka's batching cannot pass
 *       for the start of the assignment; and, while the route has consumption paused, paused at
 *       once, before the poll fetches anything, so a waiting batch is not overtaken by records it
 *       cannot take.</li>
 * </ul>
 *
 * <p>Rebalance callbacks run inside {@code poll()}, on the consumer's thread.
 */
public final class RebalanceHook implements SubscribeAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RebalanceHook.class);
    /** The registry name camel-kafka looks the adapter up by. */
    public static final String REGISTRY_NAME = KafkaConstants.KAFKA_SUBSCRIBE_ADAPTER;

    private static final java.time.Duration START_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final SubscribeAdapter subscribe = new DefaultSubscribeAdapter();
    private final ConsumerControl control;
    private final OffsetTracker offsets;

    public RebalanceHook(ConsumerControl control, OffsetTracker offsets) {
        this.control = control;
        this.offsets = offsets;
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camel, TopicInfo topics) {
        if (consumer != control.getConsumer()) {
            subscribe.subscribe(consumer, camel, topics); // another route's consumer: Camel's own way
            return;
        }
        subscribe.subscribe(consumer, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                Map<TopicPartition, OffsetAndMetadata> last = offsets.revoke(partitions);
                try {
                    if (!last.isEmpty() && control.commit(last)) {
                        LOG.info("Committed {} before the rebalance took the partitions away", last);
                    }
                } catch (IndexingStopped e) {
                    // Only spares the new owner a re-read; a stop must not fail the poll that rebalanced.
                    LOG.info("Offsets {} not committed before the rebalance: {}", last, e.getMessage());
                }
                camel.onPartitionsRevoked(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                offsets.forget(partitions);
                camel.onPartitionsLost(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                camel.onPartitionsAssigned(partitions);
                if (partitions.isEmpty()) {
                    return; // the cooperative protocol's callback with nothing new
                }
                Map<TopicPartition, Long> starts = starts(consumer, partitions);
                offsets.assigned(partitions, starts);
                LOG.info("Assigned, fetched from: {}", starts);
                if (control.isPaused()) {
                    consumer.pause(partitions);
                    LOG.info("Partitions {} assigned while a batch waits: paused", partitions);
                }
            }
        }, topics);
    }

    /**
     * Where each partition's fetch starts: its committed offset, raised to the log's start where
     * retention took that offset away (the fetch would be reset there), or where the reset policy puts
     * it. Not known in time: the tracker waits for the lowest record instead ({@link OffsetTracker#anchorOverdue}).
     * One deadline for all: this runs inside {@code poll()}.
     */
    private static Map<TopicPartition, Long> starts(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions, left(deadline));
            for (TopicPartition tp : partitions) {
                long at = consumer.position(tp, left(deadline));
                out.put(tp, Math.max(at, first.getOrDefault(tp, 0L)));
            }
        } catch (org.apache.kafka.common.errors.WakeupException | org.apache.kafka.common.errors.InterruptException e) {
            throw e; // a stop: not ours to swallow
        } catch (RuntimeException e) {
            LOG.warn("Where the fetch of {} starts is not known ({}): their commits wait for the lowest record "
                    + "read, and not below the group's committed offset where Kafka tells it",
                    partitions.stream().filter(tp -> !out.containsKey(tp)).toList(), e.toString());
        }
        return out;
    }

    private static java.time.Duration left(long deadline) {
        return java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
