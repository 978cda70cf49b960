package caravan.index;

/**
 * What one item of a bulk response means for its document.
 *
 * <p>The document ids are deterministic and every operation is a {@code create}, so a 409
 * {@code version_conflict_engine_exception} means an earlier attempt (a retry, a replay, a
 * restart before the commit) already indexed this very document: done, not a failure.
 */
public final class BulkItems {
    public enum Outcome {
        /** Created now. */
        CREATED,
        /** Already there from an earlier attempt: done. */
        ALREADY_INDEXED,
        /** Elasticsearch is overloaded or a shard is unavailable: send again after a backoff. */
        RETRY,
        /** The document itself is refused (mapping, bad value, bad index name): dead-letter it. */
        REJECT
    }

    private BulkItems() {
    }

    /**
     * @param status    the item's HTTP status
     * @param errorType the item's {@code error.type}, or null
     */
    public static Outcome classify(int status, String errorType) {
        if (status >= 200 && status < 300) {
            return Outcome.CREATED;
        }
        if (status == 409 && (errorType == null || errorType.equals("version_conflict_engine_exception"))) {
            return Outcome.ALREADY_INDEXED;
        }
        if (status == 429 || status >= 500 || status == 408) {
            return Outcome.RETRY;
        }
        // A write block (read-only index, disk flood stage on older versions) lifts by itself or by an
        // operator; the documents are fine, so they wait rather than fill the DLQ.
        if ("cluster_block_exception".equals(errorType)) {
            return Outcome.RETRY;
        }
        return Outcome.REJECT;
    }
}
