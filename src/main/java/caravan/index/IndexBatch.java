package caravan.index;

import caravan.parse.LogEvent;
import caravan.ship.Envelope;
import java.util.ArrayList;
import java.util.List;

/**
 * One Kafka poll on its way through the index route: parsed events (which the enrichers add to),
 * then rendered documents, and the records that failed at some stage.
 */
public final class IndexBatch {
    /** A parsed record: the event and where it came from. */
    public record Item(LogEvent event, Envelope envelope, String dataset, int partition, long offset, byte[] value) {
    }

    /** A record that failed, with the stage and reason. */
    public record Failure(String stage, String reason, String dataset, int partition, long offset, byte[] envelope) {
    }

    private final List<Item> items = new ArrayList<>();
    private final List<PendingDoc> docs = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();

    public List<Item> items() {
        return items;
    }

    public List<PendingDoc> docs() {
        return docs;
    }

    public List<Failure> failures() {
        return failures;
    }
}
