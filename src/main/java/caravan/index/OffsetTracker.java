package caravan.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which Kafka offsets the index route may commit. Every record handed to the route is added here,
 * per partition, in poll order, with the number of its envelopes (its lines, for a record of
 * several); it is processed once every one of them is settled (indexed, verified as already
 * indexed, or acknowledged on the DLQ). A partition's committable offset is the offset
 * after the longest run of processed records from its oldest one: a record that is not settled yet
 * holds back every later commit of its partition, however the others complete.
 *
 * <p>On a rebalance the partitions taken away are dropped (their commit is whoever owns them now);
 * a record of theirs that completes later is simply not known any more. A partition assigned starts
 * afresh from the offset its fetch starts at ({@link #assigned}). A new Kafka consumer starts from an
 * empty tracker.
 *
 * <p>The route uses it from the consumer thread; the queries are synchronized for the metrics and
 * health threads.
 */
public final class OffsetTracker {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OffsetTracker.class);
    /**
     * One partition: the records not yet passed by the committable offset, as ascending offsets in
     * an array (poll order is offset order) with the envelopes of each still to settle (0: processed),
     * from {@code head} to {@code tail}. Plain arrays, not a map of boxed offsets: this runs for every
     * record indexed.
     */
    private static final class Partition {
        long[] offsets = new long[64];
        int[] left = new int[64];
        int head;
        int tail;
        /** The offset after the last record added: where consumption stands for the route. */
        long next = -1;
        /** The committable offset already committed, or -1. */
        long committed = -1;
        /** The committable offset: after the last of the contiguous processed records, or -1. */
        long committable = -1;
        int pending;
        /**
         * Where the consumer's fetch of this assignment starts, or -1 when not known. Until the record
         * there comes, what arrives may have been polled before the assignment (camel-kafka holds a
         * poll's records until its batch is due): tracked so that its batch can settle, but it never
         * moves the committable offset, and it is forgotten when the record at the start comes.
         */
        long start = -1;
        boolean anchored = true;
        /**
         * Since when records wait here for the start record: the first one tracked before it, or the
         * last resume of paused consumption ({@link #restartWaits}); a start that does not come is given
         * up on ({@link #anchorOverdue}).
         */
        long waitingSince;

        /** Index of the offset between head and tail, or -1. */
        int find(long offset) {
            int i = Arrays.binarySearch(offsets, head, tail, offset);
            return i < 0 ? -1 : i;
        }

        /** Adds an offset with its envelopes to settle; false if it is there already. */
        boolean add(long offset, int parts) {
            if (tail == offsets.length) {
                grow();
            }
            int at = tail;
            if (tail > head && offsets[tail - 1] >= offset) { // not in poll order: never from Kafka, kept correct anyway
                int i = Arrays.binarySearch(offsets, head, tail, offset);
                if (i >= 0) {
                    return false;
                }
                at = -i - 1;
                System.arraycopy(offsets, at, offsets, at + 1, tail - at);
                System.arraycopy(left, at, left, at + 1, tail - at);
            }
            offsets[at] = offset;
            left[at] = parts;
            tail++;
            return true;
        }

        /** Room at the end: drops what the head passed, and doubles when that is not enough. */
        private void grow() {
            int live = tail - head;
            if (live * 2 > offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
                left = Arrays.copyOf(left, left.length * 2);
            }
            System.arraycopy(offsets, head, offsets, 0, live);
            System.arraycopy(left, head, left, 0, live);
            head = 0;
            tail = live;
        }

        void advance() {
            while (anchored && head < tail && left[head] == 0) {
                committable = offsets[head] + 1;
                head++;
            }
            if (head == tail) {
                head = 0;
                tail = 0;
            }
        }
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    /**
     * The partition of the last key looked up, by the key's identity: a batch passes one key object
     * per run of its records ({@link IndexBatch#partitionOf}), so most records skip the map. Kept in
     * step when the map gains a partition, and reset when it loses one.
     */
    private TopicPartition lastKey;
    private Partition lastFound;

    private Partition find(TopicPartition tp) {
        if (tp != lastKey) {
            lastFound = partitions.get(tp);
            lastKey = tp;
        }
        return lastFound;
    }

    /** A record of one envelope handed to the route; a record added twice is counted once. */
    public synchronized void add(TopicPartition tp, long offset) {
        add(tp, offset, 1);
    }

    /**
     * A record handed to the route with its {@code parts} envelopes, each of which is settled on its
     * own; a record added twice is counted once, with the parts it was first added with.
     */
    public synchronized void add(TopicPartition tp, long offset, int parts) {
        Partition p = find(tp);
        if (p == null) {
            p = new Partition();
            partitions.put(tp, p);
            lastFound = p;
        }
        if (!p.anchored) {
            if (offset < p.start) {
                return; // committed before the assignment: polled before it, and not read again
            }
            if (offset == p.start) {
                anchor(tp, p);
            } else if (p.tail == p.head) {
                p.waitingSince = System.nanoTime();
            }
        }
        if (offset < p.committable || !p.add(offset, Math.max(1, parts))) {
            return;
        }
        p.pending++;
        p.next = Math.max(p.next, offset + 1);
    }

    /** The first record of the assignment: what came before it was polled earlier and comes again after it. */
    private static void anchor(TopicPartition tp, Partition p) {
        if (p.tail > p.head) {
            LOG.info("{}: {} record(s) polled before the assignment forgotten, to come again; commits count from {}",
                    tp, p.tail - p.head, p.start);
        }
        p.head = 0;
        p.tail = 0;
        p.pending = 0;
        p.next = -1;
        p.anchored = true;
    }

    /**
     * The partitions are this consumer's now, each fetched from its offset in {@code starts} (absent:
     * not known). What was known of them is forgotten: records polled before the assignment may still
     * reach the route, and with the fetch starting again they must not pass for the start of the run
     * the commit counts from.
     */
    public synchronized void assigned(Collection<TopicPartition> given, Map<TopicPartition, Long> starts) {
        for (TopicPartition tp : given) {
            Partition p = new Partition();
            Long start = starts.get(tp);
            p.anchored = false;
            if (start != null && start >= 0) {
                p.start = start;
                p.committed = start; // where the group stands: nothing to commit until a record after it settles
            }
            partitions.put(tp, p);
        }
        lastKey = null;
    }

    /** The partitions whose start record {@link #anchorOverdue} would give up on now. */
    public synchronized java.util.Set<TopicPartition> startsOverdue(long afterNanos) {
        long now = System.nanoTime();
        java.util.Set<TopicPartition> out = new java.util.HashSet<>();
        partitions.forEach((tp, p) -> {
            if (overdue(p, now, afterNanos)) {
                out.add(tp);
            }
        });
        return out;
    }

    private static boolean overdue(Partition p, long now, long afterNanos) {
        return !p.anchored && p.tail > p.head && now - p.waitingSince >= afterNanos;
    }

    /**
     * Gives up waiting for the start record where records have waited for it longer than
     * {@code afterNanos} while consumption flowed: its start was not known, or the fetch did not begin
     * there (retention between the look-up and the fetch, a transaction marker). By then the records
     * polled before the assignment have long been handed on and the fetch's own have come, so the
     * commit counts from the lowest record tracked. Without it such a partition would never be
     * committed again. Records polled before the assignment may be among the lowest, so nothing is
     * committed at or below {@code groupCommitted}, where the group stands (where Kafka told it):
     * the commit never steps back.
     */
    public synchronized void anchorOverdue(long afterNanos, Map<TopicPartition, Long> groupCommitted) {
        long now = System.nanoTime();
        for (Map.Entry<TopicPartition, Partition> e : partitions.entrySet()) {
            Partition p = e.getValue();
            if (overdue(p, now, afterNanos)) {
                Long group = groupCommitted.get(e.getKey());
                LOG.warn("{}: {}; commits count from {}, the lowest record read since the assignment, and go beyond "
                        + "the group's offset {}", e.getKey(), p.start < 0 ? "where its fetch starts was not known"
                        : "no record at offset " + p.start + " where its fetch was to start", p.offsets[p.head],
                        group == null ? "(not known)" : group);
                p.start = p.offsets[p.head];
                if (group != null) {
                    p.committed = Math.max(p.committed, group);
                }
                p.anchored = true;
                p.advance();
            }
        }
    }

    /** Consumption resumes after a pause: the fetch's own records had no chance to come meanwhile. */
    public synchronized void restartWaits() {
        long now = System.nanoTime();
        partitions.values().forEach(p -> p.waitingSince = now);
    }

    /**
     * The fate of one of a record's envelopes is settled; the record is processed with its last.
     * Unknown records (revoked partitions, never added) and processed ones are ignored.
     */
    public synchronized void processed(TopicPartition tp, long offset) {
        Partition p = find(tp);
        int i = p == null ? -1 : p.find(offset);
        if (i < 0 || p.left[i] == 0 || --p.left[i] > 0) {
            return;
        }
        p.pending--;
        if (i == p.head) {
            p.advance();
        }
    }

    /** Whether the record is added and not yet processed. */
    public synchronized boolean isPending(TopicPartition tp, long offset) {
        Partition p = find(tp);
        int i = p == null ? -1 : p.find(offset);
        return i >= 0 && p.left[i] > 0;
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
        lastKey = null;
    }

    /** A new Kafka consumer: nothing before it is committed by it. */
    public synchronized void clear() {
        partitions.clear();
        lastKey = null;
    }

    /** The partitions known, for logs and tests. */
    public synchronized List<TopicPartition> partitions() {
        return new ArrayList<>(partitions.keySet());
    }
}
