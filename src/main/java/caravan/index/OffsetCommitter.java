package caravan.index;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The last step of a batch: every record in it is now indexed or acknowledged on the DLQ, so its
 * offsets are committed (per partition, the highest offset + 1, in one synchronous request), and the
 * partitions resume if a wait had paused them. Batches reach this step oldest first
 * ({@link InFlightWindow}), so commits never skip over a batch that is not done.
 */
public final class OffsetCommitter implements Processor {
    private final ConsumerControl consumer;
    private final InFlightWindow window;

    public OffsetCommitter(ConsumerControl consumer, InFlightWindow window) {
        this.consumer = consumer;
        this.window = window;
    }

    @Override
    public void process(Exchange exchange) {
        IndexBatch batch = exchange.getMessage().getBody(IndexBatch.class);
        consumer.commit(batch.offsets());
        window.done(batch);
        consumer.resume();
    }

    /** Per partition, the offset after the highest record of the batch. */
    static Map<TopicPartition, OffsetAndMetadata> offsets(List<?> records) {
        if (records == null) {
            return new HashMap<>();
        }
        List<RecordOrigin> origins = new java.util.ArrayList<>(records.size());
        for (Object o : records) {
            origins.add(RecordOrigin.of((Exchange) o));
        }
        return offsetsOf(origins);
    }

    static Map<TopicPartition, OffsetAndMetadata> offsetsOf(List<RecordOrigin> origins) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (RecordOrigin r : origins) {
            if (r.topic() == null || r.partition() < 0 || r.offset() < 0) {
                continue;
            }
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            OffsetAndMetadata prev = out.get(tp);
            if (prev == null || prev.offset() < r.offset() + 1) {
                out.put(tp, new OffsetAndMetadata(r.offset() + 1));
            }
        }
        return out;
    }
}
