package caravan.index;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Processor;

/**
 * Async bulk with in-order completion: a batch's bulk requests are sent as soon as it is rendered,
 * and the consumer goes on to poll and parse the next batch while Elasticsearch indexes it. Up to
 * {@code size} batches are in flight; the oldest is then finished (its responses settled, retries,
 * dead letters, commit) before anything newer, so offsets are still committed in order and only
 * for batches that are done.
 *
 * <p>Without it the consumer thread and Elasticsearch take turns: the node waits while a batch is
 * parsed, the parser waits while the node indexes. A size of 1 is exactly that, one batch at a time.
 *
 * <p>Everything here runs on the Kafka consumer's thread (the route and its idle flush), so the
 * deque needs no locking. A batch left in flight when its consumer goes away (stop, reconnect) is
 * simply forgotten: it was never committed, and the next consumer reads it again.
 */
public final class InFlightWindow {
    private final int size;
    private final Deque<IndexBatch> batches = new ArrayDeque<>();
    private long oldestSince;

    public InFlightWindow(int size) {
        this.size = Math.max(1, size);
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
            if (batches.isEmpty()) {
                oldestSince = System.nanoTime();
            }
            batches.addLast(batch);
            if (batches.size() < size) {
                exchange.setRouteStop(true);
                return;
            }
            exchange.getMessage().setBody(batches.peekFirst());
        };
    }

    /** The batch to finish next, or null. */
    public IndexBatch oldest() {
        return batches.peekFirst();
    }

    public boolean contains(IndexBatch batch) {
        return batches.contains(batch);
    }

    /** A batch is committed (or dead-lettered and committed): it leaves the window. */
    public void done(IndexBatch batch) {
        if (batches.remove(batch)) {
            oldestSince = System.nanoTime();
        }
    }

    /** Whether the oldest batch has waited longer than {@code ms} for a newer one to push it out. */
    public boolean idle(long ms) {
        return !batches.isEmpty() && System.nanoTime() - oldestSince > TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /** Forgets every batch in flight: they were never committed, whoever consumes next reads them again. */
    public void clear() {
        batches.clear();
    }

    public int size() {
        return batches.size();
    }

    /** Finishes every batch in flight, oldest first, through {@code finish}; stops early if one stays. */
    public static void flush(InFlightWindow window, java.util.function.Consumer<IndexBatch> finish) {
        IndexBatch b;
        while ((b = window.oldest()) != null) {
            finish.accept(b);
            if (window.oldest() == b) {
                return; // not finished (the route is stopping): leave it
            }
        }
    }
}
