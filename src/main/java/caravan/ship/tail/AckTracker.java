package caravan.ship.tail;

import java.util.HashMap;
import java.util.Map;

/**
 * The events of one stream that are in flight, and the checkpoint they allow.
 *
 * <p>Events are registered in file order and complete in any order (Kafka acknowledges batches,
 * retries reorder). The checkpoint is the end of the longest contiguous prefix of successfully
 * completed events: everything before it is known to be on Kafka, so a restart from there loses
 * nothing. A failed event stops the prefix for good (until {@link #rewind}): what follows it may
 * be acknowledged, but the checkpoint may not jump the gap.
 *
 * <p>Completion comes from Kafka's callback threads and registration from the reader thread, so
 * every method is synchronized; the critical sections are a few array operations.
 */
final class AckTracker {
    private static final byte PENDING = 0;
    private static final byte OK = 1;
    private static final byte FAILED = 2;

    // A ring of pending events, oldest at head; seq of the slot at head is headSeq.
    private long[] start = new long[64];
    private long[] end = new long[64];
    private long[] anchor = new long[64];
    private int[] anchorLen = new int[64];
    private byte[] state = new byte[64];
    private int head;
    private int size;
    private long headSeq;

    private long committed;
    private int committedAnchorLen;
    private long committedAnchorHash;
    private int pending;
    private boolean failed;

    AckTracker(long committed, int anchorLen, long anchorHash) {
        this.committed = committed;
        this.committedAnchorLen = anchorLen;
        this.committedAnchorHash = anchorHash;
    }

    /** Registers the next event in file order; returns its sequence number for {@link #complete}. */
    synchronized long register(long eventStart, long eventEnd, int anchorLength, long anchorHash) {
        if (size == state.length) {
            grow();
        }
        int i = (head + size) % state.length;
        start[i] = eventStart;
        end[i] = eventEnd;
        anchor[i] = anchorHash;
        anchorLen[i] = anchorLength;
        state[i] = PENDING;
        size++;
        pending++;
        return headSeq + size - 1;
    }

    /**
     * Records the outcome of event {@code seq}; returns true if the checkpoint moved. Unknown or
     * repeated sequence numbers (a route that completes twice, an event from before a rewind) are
     * ignored.
     */
    synchronized boolean complete(long seq, boolean ok) {
        long idx = seq - headSeq;
        if (idx < 0 || idx >= size) {
            return false;
        }
        int i = (int) ((head + idx) % state.length);
        if (state[i] != PENDING) {
            return false;
        }
        state[i] = ok ? OK : FAILED;
        pending--;
        if (!ok) {
            failed = true;
            return false;
        }
        boolean moved = false;
        while (size > 0 && state[head] == OK) {
            committed = end[head];
            committedAnchorLen = anchorLen[head];
            committedAnchorHash = anchor[head];
            head = (head + 1) % state.length;
            size--;
            headSeq++;
            moved = true;
        }
        return moved;
    }

    synchronized long committed() {
        return committed;
    }

    synchronized int committedAnchorLen() {
        return committedAnchorLen;
    }

    synchronized long committedAnchorHash() {
        return committedAnchorHash;
    }

    /** Events registered and not completed yet. */
    synchronized int inflight() {
        return pending;
    }

    /** True once an event failed; stays true until {@link #rewind}. */
    synchronized boolean failed() {
        return failed;
    }

    /** Events past the checkpoint acknowledged already (start offset to end offset): none unless one failed or is pending. */
    synchronized void ackedAhead(Map<Long, Long> into) {
        for (int k = 0; k < size; k++) {
            int i = (head + k) % state.length;
            if (state[i] == OK) {
                into.put(start[i], end[i]);
            }
        }
    }

    /**
     * After a failure, once nothing is in flight: forgets every event past the checkpoint, and
     * returns those that were acknowledged anyway (start offset to end offset), so that the re-read
     * sends only what Kafka does not have.
     */
    synchronized Map<Long, Long> rewind() {
        Map<Long, Long> acked = new HashMap<>();
        ackedAhead(acked);
        headSeq += size;
        head = 0;
        size = 0;
        pending = 0;
        failed = false;
        return acked;
    }

    private void grow() {
        int n = state.length * 2;
        long[] s = new long[n];
        long[] e = new long[n];
        long[] a = new long[n];
        int[] al = new int[n];
        byte[] st = new byte[n];
        for (int k = 0; k < size; k++) {
            int i = (head + k) % state.length;
            s[k] = start[i];
            e[k] = end[i];
            a[k] = anchor[i];
            al[k] = anchorLen[i];
            st[k] = state[i];
        }
        start = s;
        end = e;
        anchor = a;
        anchorLen = al;
        state = st;
        head = 0;
    }
}
