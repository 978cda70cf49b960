package caravan.index;

import caravan.event.Envelope;
import caravan.event.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * One Kafka poll on its way through the index route: parsed events (which the enrichers add to),
 * then rendered documents, and the records that failed at some stage.
 *
 * <p>Every record of the poll ends in exactly one of two places before the offsets are committed:
 * Elasticsearch (created, or already there) or {@link #failures()}, which go to the DLQ.
 */
public final class IndexBatch {
    /** A parsed record: the event and where it came from. */
    public record Item(LogEvent event, Envelope envelope, String dataset, RecordOrigin origin) {
        public int partition() {
            return origin.partition();
        }

        public long offset() {
            return origin.offset();
        }

        public byte[] value() {
            return origin.value();
        }
    }

    /**
     * A record that failed, with the stage and reason.
     *
     * @param exception the exception class or Elasticsearch error type
     * @param status    Elasticsearch's item status, 0 when not from Elasticsearch
     * @param source    the envelope's caravan.source, null if the envelope could not be read
     */
    public record Failure(String stage, String reason, String exception, int status, String dataset, String source,
                          RecordOrigin origin) {
        public int partition() {
            return origin.partition();
        }

        public long offset() {
            return origin.offset();
        }

        public byte[] envelope() {
            return origin.value();
        }
    }

    private final List<Item> items = new ArrayList<>();
    private final List<PendingDoc> docs = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    /** Documents not yet settled (indexed, already there, or rejected); the bulk loop runs while any remain. */
    private List<PendingDoc> unsettled;
    private int attempts;
    private Throwable lastError;
    private List<RecordOrigin> origins = List.of();
    private OffsetTracker offsets;
    private List<InFlight> inFlight;
    private TopicPartition lastPartition;

    /** A bulk request sent ahead (see {@link IndexBatches}), with the documents it carries. */
    public record InFlight(List<PendingDoc> docs, CompletableFuture<List<caravan.search.Bulk.Item>> response) {
    }

    /** Where each of the batch's records came from, in poll order. */
    public List<RecordOrigin> origins() {
        return origins;
    }

    /**
     * The batch keeps its records' origins, not Camel's record exchanges: it stays in the window while its bulk
     * is in flight, and the exchanges (their header maps and the Kafka records) were about a fifth of what each record
     * kept alive there, copied by every young collection (BENCHMARKS.md "The index window's survivors").
     */
    public void origins(List<RecordOrigin> polled) {
        this.origins = polled;
    }

    /** The tracker the batch's records are settled in ({@link IndexBatches#track}). */
    void track(OffsetTracker tracker) {
        this.offsets = tracker;
    }

    /** Whether the batch's records were added to the tracker. */
    boolean tracked() {
        return offsets != null;
    }

    /** The record's document is indexed (or verified as already there), or its dead letter acknowledged. */
    public void settled(RecordOrigin origin) {
        TopicPartition tp = partitionOf(origin);
        if (offsets != null && tp != null) {
            offsets.processed(tp, origin.offset());
        }
    }

    /**
     * The record's partition, or null when it has no place in Kafka. A batch's records come in runs of
     * one partition: one key object per run, not one per record tracked, settled and checked.
     */
    TopicPartition partitionOf(RecordOrigin origin) {
        if (!origin.inKafka()) {
            return null;
        }
        TopicPartition tp = lastPartition;
        if (tp == null || tp.partition() != origin.partition() || !tp.topic().equals(origin.topic())) {
            tp = new TopicPartition(origin.topic(), origin.partition());
            lastPartition = tp;
        }
        return tp;
    }

    /** Requests sent ahead whose responses the next bulk attempt settles; null when none. */
    public List<InFlight> inFlight() {
        return inFlight;
    }

    public void inFlight(List<InFlight> sent) {
        this.inFlight = sent;
    }

    public List<Item> items() {
        return items;
    }

    public List<PendingDoc> docs() {
        return docs;
    }

    public List<Failure> failures() {
        return failures;
    }

    /** The documents still to send; starts as all of {@link #docs()}. */
    public List<PendingDoc> unsettled() {
        if (unsettled == null) {
            unsettled = new ArrayList<>(docs);
        }
        return unsettled;
    }

    public void unsettled(List<PendingDoc> remaining) {
        this.unsettled = remaining;
    }

    public boolean hasUnsettled() {
        return !unsettled().isEmpty();
    }

    /** Bulk attempts so far that left documents to retry; drives the backoff. */
    public int attempts() {
        return attempts;
    }

    public void attempted() {
        attempts++;
    }

    /** Why the last bulk attempt did not go through (request failed, or the breaker refused it), else null. */
    public Throwable lastError() {
        return lastError;
    }

    public void lastError(Throwable e) {
        this.lastError = e;
    }
}
