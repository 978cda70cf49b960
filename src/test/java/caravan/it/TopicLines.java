package caravan.it;

import caravan.event.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The lines on a topic, counted from its records: a record of Caravan's shipper holds several
 * ({@link Envelope#LINES_HEADER}), any other one. Read as far as the topic goes at each call and
 * kept, per partition, as the lines before each record, so that "lines up to a committed offset"
 * costs a lookup.
 */
final class TopicLines implements AutoCloseable {
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Counted> partitions = new HashMap<>();

    /** One partition: its records' offsets in order, and the lines up to and including each. */
    private static final class Counted {
        long[] offsets = new long[256];
        long[] linesThrough = new long[256];
        int n;

        void add(long offset, long lines) {
            if (n == offsets.length) {
                offsets = Arrays.copyOf(offsets, n * 2);
                linesThrough = Arrays.copyOf(linesThrough, n * 2);
            }
            offsets[n] = offset;
            linesThrough[n] = (n == 0 ? 0 : linesThrough[n - 1]) + lines;
            n++;
        }

        /** Lines of the records before {@code offset}. */
        long before(long offset) {
            int i = Arrays.binarySearch(offsets, 0, n, offset);
            int records = i >= 0 ? i : -i - 1;
            return records == 0 ? 0 : linesThrough[records - 1];
        }
    }

    TopicLines(String bootstrap, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every line on the topic now. */
    synchronized long total() {
        catchUp();
        return partitions.values().stream().mapToLong(c -> c.n == 0 ? 0 : c.linesThrough[c.n - 1]).sum();
    }

    /** The lines of the records before each partition's offset. */
    synchronized long before(Map<TopicPartition, Long> offsets) {
        catchUp();
        long lines = 0;
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            Counted c = partitions.get(e.getKey());
            lines += c == null ? 0 : c.before(e.getValue());
        }
        return lines;
    }

    private void catchUp() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            return;
        }
        List<TopicPartition> all = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        if (!consumer.assignment().containsAll(all)) {
            consumer.assign(all);
            all.forEach(tp -> {
                Counted c = partitions.computeIfAbsent(tp, k -> new Counted());
                consumer.seek(tp, c.n == 0 ? 0 : c.offsets[c.n - 1] + 1);
            });
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(all, Duration.ofSeconds(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (all.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                partitions.get(new TopicPartition(r.topic(), r.partition())).add(r.offset(), lines(r));
            }
        }
    }

    private static long lines(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(Envelope.LINES_HEADER);
        return h == null ? 1 : Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
