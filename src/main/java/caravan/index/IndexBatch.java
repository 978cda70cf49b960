package caravan.index;

import java.util.ArrayList;
import java.util.List;

/** What one Kafka poll became: documents to index and records that could not become documents. */
public final class IndexBatch {
    /** A record that failed before indexing, with the stage and reason. */
    public record Failure(String stage, String reason, String dataset, int partition, long offset, byte[] envelope) {
    }

    private final List<PendingDoc> docs = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();

    public List<PendingDoc> docs() {
        return docs;
    }

    public List<Failure> failures() {
        return failures;
    }
}
