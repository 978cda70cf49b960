package caravan.index;

/**
 * The index route is stopping while a batch waits (for Elasticsearch, a backoff or the DLQ). The
 * batch is abandoned uncommitted: it is neither indexed in full nor dead-lettered, and the next
 * consumer of its partitions reads it again.
 */
public final class IndexingStopped extends RuntimeException {
    public IndexingStopped(String message) {
        super(message);
    }

    public IndexingStopped(String message, Throwable cause) {
        super(message, cause);
    }
}
