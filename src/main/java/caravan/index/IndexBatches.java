package caravan.index;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.Processor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the index route's batches, from poll to commit: which batches are in flight,
 * which of their records are settled ({@link OffsetTracker}), and what is committed.
 *
 * <ul>
 *   <li><b>track</b>: a parsed poll enters; each of its records is added to the tracker, in poll order.</li>
 *   <li><b>submit</b>: the batch's bulk is sent ahead, and the consumer goes on to poll and parse
 *       the next batch while Elasticsearch indexes it. Up to {@code size} batches are in flight;
 *       when the window is full the oldest is finished (responses settled, retries, dead letters)
 *       before anything newer. A size of 1 is one batch at a time.</li>
 *   <li><b>settle</b>: each record is marked in the tracker when its document is indexed (or
 *       verified as already there) or its dead letter is acknowledged.</li>
 *   <li><b>commit</b>: what the tracker says is committable, which never passes a record that is not
 *       settled, whatever the order in which records and batches complete; at most once per commit
 *       interval, checked as batches finish and between polls.</li>
 * </ul>
 *
 * <p>Everything here runs on the Kafka consumer's thread (the route, its idle flush, the rebalance
 * callbacks), so the window needs no locking. A batch left in flight when its consumer goes away
 * (stop, reconnect) is forgotten with its offsets: it was never committed, the next consumer reads
 * it again.
 */
public final class IndexBatches {
    private static final Logger LOG = LoggerFactory.getLogger(IndexBatches.class);

    /**
     * How long an assigned partition's commits wait for the record where its fetch was to start
     * ({@link OffsetTracker#anchorOverdue}): far longer than camel-kafka holds a poll's records.
     */
    private static final long START_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final int size;
    private final ConsumerControl consumer;
    /** The consumer's total paused time at the last poll: a change means it was paused since. */
    private long pausedBefore;
    private final OffsetTracker offsets = new OffsetTracker();
    private final Deque<IndexBatch> window = new ArrayDeque<>();
    private final io.micrometer.core.instrument.Timer held;
    private long oldestSince;
    /** When the full window sent its oldest batch to be finished, holding the consumer; 0 when it is not held. */
    private long heldSince;
    private final long commitIntervalNanos;
    /** When a commit was last attempted, whether or not there was anything to commit or Kafka took it. */
    private long lastCommit = System.nanoTime();
    /** Whether batches finished since the last commit: an idle poll must not outwait the interval for them. */
    private boolean commitOwed;
    /** How long the oldest batch waits for a newer one before it is finished between polls ({@link #attach}). */
    private long idleFlushNanos = Long.MAX_VALUE;
    /** When the work between polls last ran. */
    private long betweenPollsAt = System.nanoTime();

    /**
     * Commits after every batch.
     *
     * @param size     batches in flight at most ({@code caravan.index.bulk.in-flight})
     * @param consumer pauses, polls and commits on the Kafka consumer
     */
    public IndexBatches(int size, ConsumerControl consumer) {
        this(size, consumer, 0);
    }

    /**
     * @param commitIntervalMs commit at most this often ({@code caravan.index.commit-interval-ms}); 0: after every batch
     */
    public IndexBatches(int size, ConsumerControl consumer, long commitIntervalMs) {
        this(size, consumer, commitIntervalMs, caravan.common.Metrics.consumerHeldSeconds());
    }

    /** @param held times how long a full window holds the consumer (caravan_index_consumer_held_seconds) */
    IndexBatches(int size, ConsumerControl consumer, long commitIntervalMs, io.micrometer.core.instrument.Timer held) {
        this.size = Math.max(1, size);
        this.consumer = consumer;
        this.held = held;
        this.commitIntervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, commitIntervalMs));
    }

    /**
     * Hooks the batches to the consumer: a new Kafka consumer forgets them; between polls,
     * {@code finish} runs on the batches in flight once no newer batch has come for {@code idleMs},
     * so the last batch before a quiet spell does not wait for the next one, and offsets whose
     * commit the interval held back go out once it has passed.
     */
    public void attach(long idleMs, Consumer<IndexBatch> finish) {
        idleFlushNanos = TimeUnit.MILLISECONDS.toNanos(idleMs);
        consumer.hooks(this::clear, () -> {
            betweenPollsAt = System.nanoTime();
            if (idle(idleMs)) {
                flush(finish);
            }
            long paused = consumer.pausedTotal().toNanos();
            if (paused != pausedBefore) {
                pausedBefore = paused;
                offsets.restartWaits();
            }
            java.util.Set<TopicPartition> overdue = offsets.startsOverdue(START_WAIT_NANOS);
            if (!overdue.isEmpty()) { // rare: asks Kafka, outside the tracker's lock
                offsets.anchorOverdue(START_WAIT_NANOS, consumer.groupCommitted(overdue));
            }
            commitIfDue();
        });
    }

    public OffsetTracker offsets() {
        return offsets;
    }

    /** A batch enters: its records are tracked from now until each of their envelopes is settled. */
    public void track(IndexBatch batch) {
        add(batch.origins(), batch::partitionOf);
        batch.track(offsets);
    }

    /** Adds each record of {@code origins} once, with the number of its envelopes (the lines of a record come together). */
    private void add(List<RecordOrigin> origins, java.util.function.Function<RecordOrigin, TopicPartition> partitionOf) {
        for (int i = 0, n = origins.size(); i < n; ) {
            RecordOrigin r = origins.get(i);
            int end = i + 1;
            while (end < n && origins.get(end).sameRecord(r)) {
                end++;
            }
            TopicPartition tp = partitionOf.apply(r);
            if (tp != null) {
                offsets.add(tp, r.offset(), end - i);
            }
            i = end;
        }
    }

    /**
     * The route step after render: sends the batch's bulk ahead (when the circuit is closed) and
     * queues it. While the window has room the exchange ends here; when it is full it goes on to the
     * finishing steps with the oldest batch as its body.
     */
    public Processor submitStep(BulkWriter writer, ElasticsearchBreaker breaker) {
        return exchange -> {
            IndexBatch batch = exchange.getMessage().getBody(IndexBatch.class);
            if (size > 1 && breaker.state() == CircuitBreaker.State.CLOSED) {
                writer.submit(batch);
            }
            if (window.isEmpty()) {
                oldestSince = System.nanoTime();
            }
            window.addLast(batch);
            if (window.size() < size) {
                exchange.setRouteStop(true);
                return;
            }
            heldSince = System.nanoTime();
            exchange.getMessage().setBody(window.peekFirst());
        };
    }

    /**
     * The last step of a batch: every record of it is now settled, so what is committable is
     * committed, the batch leaves the window, and consumption resumes if a wait paused it.
     *
     * @throws IllegalStateException if a record of the batch is neither indexed nor dead-lettered:
     *         the route's dead letter channel then sends the whole batch to the DLQ
     */
    public void finished(IndexBatch batch) {
        long unsettled = 0;
        RecordOrigin last = null;
        for (RecordOrigin r : batch.origins()) {
            TopicPartition tp = batch.partitionOf(r);
            if (tp != null && (last == null || !r.sameRecord(last)) && offsets.isPending(tp, r.offset())) {
                unsettled++; // a record once, however many of its lines
            }
            last = r;
        }
        if (unsettled > 0) {
            throw new IllegalStateException(unsettled + " record(s) of the batch neither indexed nor dead-lettered");
        }
        done(batch);
    }

    /** The batch's records are all on the DLQ (the route's dead letter channel): they count as settled. */
    public void deadLettered(IndexBatch batch, List<RecordOrigin> records) {
        if (batch == null || !batch.tracked()) {
            // A batch that failed before it was tracked. A tracked one is not added again: a record the
            // tracker forgot since (a rebalance) is not this assignment's to settle.
            add(records, IndexBatches::partition);
        }
        for (RecordOrigin r : records) {
            TopicPartition tp = partition(r);
            if (tp != null) {
                offsets.processed(tp, r.offset());
            }
        }
        done(batch);
    }

    private void done(IndexBatch batch) {
        commitOwed = true; // its records are settled: owed until a commit takes them
        commitIfDue();
        if (batch != null && window.remove(batch)) {
            oldestSince = System.nanoTime();
        }
        if (heldSince != 0) {
            held.record(System.nanoTime() - heldSince, TimeUnit.NANOSECONDS);
            heldSince = 0;
        }
        consumer.resumeIfAllowed();
    }

    /**
     * Commits when the interval has passed since the last commit. A synchronous commit per batch
     * was about 5% of the consumer thread at 5,000 lines/s; what waits is re-read after a crash and
     * settles as 409s (deterministic ids), and a rebalance or a stop commits it at once
     * ({@link RebalanceHook}).
     */
    private void commitIfDue() {
        if (commitIntervalNanos == 0 || System.nanoTime() - lastCommit >= commitIntervalNanos) {
            commit();
        }
    }

    /** Commits what is committable; what Kafka refuses stays committable for the next one. */
    private void commit() {
        lastCommit = System.nanoTime();
        commitOwed = false;
        Map<TopicPartition, OffsetAndMetadata> now = offsets.committable();
        if (!now.isEmpty() && consumer.commit(now)) {
            offsets.committed(now);
        }
    }

    /** The batch to finish next, or null. */
    public IndexBatch oldest() {
        return window.peekFirst();
    }

    /** Whether the oldest batch has waited longer than {@code ms} for a newer one to push it out. */
    boolean idle(long ms) {
        return !window.isEmpty() && System.nanoTime() - oldestSince > TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /**
     * How long an idle poll may wait before work between polls that someone waits for falls due:
     * the idle flush of a batch whose bulk has not gone out (the circuit was not closed as it came,
     * so its documents wait for it), or a commit the interval held back; {@code pollMs} when neither
     * waits, or when it comes sooner. A batch whose bulk went out is finished at the next poll (its
     * retries and dead letters), within {@code pollMs}: cutting every idle poll short for it cost
     * the index consumer's thread about 1 µs more a line at 5,000 lines/s (BENCHMARKS.md, session
     * 42). Work that cannot run is not hurried: while the consumer is paused (it waits for the
     * resume), or when the work between polls ran after it fell due and left it (a batch that stays
     * while the route stops); short polls would only spin then.
     */
    public long idleWaitMs(long pollMs) {
        if (consumer.isPaused()) {
            return pollMs;
        }
        long now = System.nanoTime();
        long due = Long.MAX_VALUE;
        if (idleFlushNanos != Long.MAX_VALUE && holdsUnsent()) {
            due = oldestSince + idleFlushNanos - now;
        }
        if (commitOwed) {
            due = Math.min(due, lastCommit + commitIntervalNanos - now);
        }
        if (due == Long.MAX_VALUE || due < 0 && betweenPollsAt - now > due) {
            return pollMs;
        }
        // +1: the checks are strict, and a poll that wakes a moment early would wait a whole pollMs more
        return Math.max(1, Math.min(pollMs, TimeUnit.NANOSECONDS.toMillis(Math.max(0, due)) + 1));
    }

    /** Whether a batch in flight has documents whose bulk has not gone out. */
    private boolean holdsUnsent() {
        for (IndexBatch b : window) {
            if (b.inFlight() == null && !b.docs().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Forgets every batch and offset: they were never committed, whoever consumes next reads them again. */
    void clear() {
        if (!window.isEmpty() || offsets.pending() > 0) {
            LOG.info("New Kafka consumer: {} batch(es) in flight forgotten uncommitted, to be read again", window.size());
        }
        window.clear();
        offsets.clear();
        heldSince = 0;
        commitOwed = false;
    }

    public int size() {
        return window.size();
    }

    /** Finishes every batch in flight, oldest first, through {@code finish}; stops early if one stays. */
    public void flush(Consumer<IndexBatch> finish) {
        IndexBatch b;
        while ((b = oldest()) != null) {
            finish.accept(b);
            if (oldest() == b) {
                return; // not finished (the route is stopping): leave it
            }
        }
    }

    /** The record's partition, or null for a record that did not come from Kafka. */
    static TopicPartition partition(RecordOrigin r) {
        return r.inKafka() ? new TopicPartition(r.topic(), r.partition()) : null;
    }
}
