package caravan.index;

import caravan.search.Bulk;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Caravan's own part of freshness, measured per document: from the shipper reading the line
 * ({@code event.created} in the envelope) to the bulk response that says the document was created.
 * Recorded when the response arrives, on the HTTP client's thread, not when the route gets round
 * to settling the batch, which can be later.
 *
 * <p>The shipper's and the indexer's clocks are compared: on two hosts their skew is in the figure
 * (a negative delay counts as 0). Documents already there (409), retried or rejected are not
 * counted: only a first acknowledgement says when the line became indexable.
 */
final class DeliveryDelay {
    /** No read time: the envelope's {@code created} is missing or unreadable. */
    static final long UNKNOWN = Long.MIN_VALUE;

    private final Timer timer;

    DeliveryDelay(Timer timer) {
        this.timer = timer;
    }

    /**
     * The read times of a request's documents, taken as it is sent: on the HTTP client's thread the
     * documents themselves are no longer in the CPU's caches, an array of times is.
     */
    static long[] reads(List<PendingDoc> chunk) {
        long[] reads = new long[chunk.size()];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = chunk.get(i).readMillis();
        }
        return reads;
    }

    /** Records the delay of every document ({@link #reads} of its request) that {@code items} (same order) says was created. */
    void acknowledged(long[] reads, List<Bulk.Item> items, long ackMillis) {
        if (items == null || items.size() != reads.length) {
            return; // a malformed response: the batch's settle step reports it
        }
        for (int i = 0; i < reads.length; i++) {
            long read = reads[i];
            Bulk.Item item = items.get(i);
            int status = item.status();
            if (read != UNKNOWN && status >= 200 && status < 300 && !item.failed()) {
                timer.record(delayMillis(read, ackMillis), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Milliseconds from read to acknowledgement; 0 when the shipper's clock is ahead. */
    static long delayMillis(long readMillis, long ackMillis) {
        return Math.max(0, ackMillis - readMillis);
    }

    /**
     * The read times of a batch's envelopes, parsed once per distinct value: a shipper stamps every
     * line of one read with the same {@code created}, so consecutive records mostly share it.
     */
    static final class ReadTimes {
        private String last;
        private long lastMillis = UNKNOWN;
        private String lastIso;

        /** The read time in epoch ms, or {@link #UNKNOWN} when {@code created} is missing or not ISO-8601. */
        long millis(String created) {
            if (created == null) {
                return UNKNOWN;
            }
            if (!created.equals(last)) {
                last = created;
                try {
                    lastMillis = Instant.parse(created).toEpochMilli();
                    lastIso = caravan.event.Timestamps.iso(lastMillis);
                } catch (DateTimeParseException e) {
                    lastMillis = UNKNOWN;
                    lastIso = null;
                }
            }
            return lastMillis;
        }

        /**
         * The last value given to {@link #millis} as Caravan writes times, or null if it was not a time:
         * another shipper's stamp goes into {@code event.created} only when the engine can map it as a date.
         */
        String iso() {
            return lastMillis == UNKNOWN ? null : lastIso;
        }
    }
}
