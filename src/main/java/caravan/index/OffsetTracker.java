package caravan.index;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which Kafka offsets the index route may commit. Every record handed to the route is added here,
 * per partition, in poll order; it is marked processed once its fate is settled (indexed, verified
 * as already indexed, or acknowledged on the DLQ). A partition's committable offset is the offset
 * after the longest run of processed records from its oldest one: a record that is not settled yet
 * holds back every later commit of its partition, however the others complete.
 *
 * <p>On a rebalance the partitions taken away are dropped (their commit is whoever owns them now);
 * a record of theirs that completes later is simply not known any more. A new Kafka consumer starts
 * from an empty tracker.
 *
 * <p>The route uses it from the consumer thread; the queries are synchronized for the metrics and
 * health threads.
 */
public final class OffsetTracker {
    /** One partition: records not yet committed, offset to processed, and the next offset to commit. */
    private static final class Partition {
        final TreeMap<Long, Boolean> open = new TreeMap<>();
        /** The offset after the last record added: where consumption stands for the route. */
        long next = -1;
        /** The committable offset already committed, or -1. */
        long committed = -1;
        /** The committable offset: after the last of the contiguous processed records, or -1. */
        long committable = -1;
        int pending;

        void advance() {
            while (!open.isEmpty() && open.firstEntry().getValue()) {
                committable = open.pollFirstEntry().getKey() + 1;
            }
        }
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    /** A record handed to the route; a record added twice is counted once. */
    public synchronized void add(TopicPartition tp, long offset) {
        Partition p = partitions.computeIfAbsent(tp, k -> new Partition());
        if (offset < p.committable || p.open.putIfAbsent(offset, Boolean.FALSE) != null) {
            return;
        }
        p.pending++;
        p.next = Math.max(p.next, offset + 1);
    }

    /** A record's fate is settled. Unknown records (revoked partitions, never added) are ignored. */
    public synchronized void processed(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p == null || p.open.replace(offset, Boolean.TRUE) != Boolean.FALSE) {
            return;
        }
        p.pending--;
        if (offset == p.open.firstKey()) {
            p.advance();
        }
    }

    /** Whether the record is added and not yet processed. */
    public synchronized boolean isPending(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        return p != null && p.open.get(offset) == Boolean.FALSE;
    }

    /** Records added and not yet processed, over all partitions. */
    public synchronized int pending() {
        int n = 0;
        for (Partition p : partitions.values()) {
            n += p.pending;
        }
        return n;
    }

    /** Per partition, the offset to commit now, where it moved past the last commit. */
    public synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
        return committable(partitions.keySet());
    }

    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : which) {
            Partition p = partitions.get(tp);
            if (p != null && p.committable > p.committed) {
                out.put(tp, new OffsetAndMetadata(p.committable));
            }
        }
        return out;
    }

    /** The committable offset of one partition, or -1 when none yet. */
    public synchronized long committableOffset(TopicPartition tp) {
        Partition p = partitions.get(tp);
        return p == null ? -1 : p.committable;
    }

    /** The offset after the last record of the partition handed to the route, or -1 when none. */
    public synchronized long next(TopicPartition tp) {
        Partition p = partitions.get(tp);
        return p == null ? -1 : p.next;
    }

    /** Kafka has these offsets now. */
    public synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            Partition p = partitions.get(tp);
            if (p != null) {
                p.committed = Math.max(p.committed, o.offset());
            }
        });
    }

    /**
     * The partitions go to another consumer: returns what of theirs may still be committed (before
     * the rebalance completes) and forgets them.
     */
    public synchronized Map<TopicPartition, OffsetAndMetadata> revoke(Collection<TopicPartition> gone) {
        Map<TopicPartition, OffsetAndMetadata> last = committable(gone);
        forget(gone);
        return last;
    }

    /** Forgets the partitions without a last commit (lost: another consumer may own them already). */
    public synchronized void forget(Collection<TopicPartition> gone) {
        gone.forEach(partitions::remove);
    }

    /** A new Kafka consumer: nothing before it is committed by it. */
    public synchronized void clear() {
        partitions.clear();
    }

    /** The partitions known, for logs and tests. */
    public synchronized List<TopicPartition> partitions() {
        return new ArrayList<>(partitions.keySet());
    }
}
