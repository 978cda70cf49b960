package caravan.index;

import caravan.common.Metrics;
import caravan.common.SafeLog;
import caravan.event.DocumentIds;
import caravan.event.EcsJsonWriter;
import caravan.event.Envelope;
import caravan.event.LogEvent;
import caravan.event.Timestamps;
import caravan.index.IndexBatch.Item;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders each parsed, enriched event as its Elasticsearch document: the envelope's metadata in
 * ECS names, the deterministic id, and the daily index by the event's own time.
 *
 * <p>A document over {@code caravan.index.max-document-bytes} goes to the DLQ (stage
 * {@code oversize}) rather than into a bulk request Elasticsearch would refuse as a whole.
 */
public final class RenderProcessor implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(RenderProcessor.class);
    private static final java.util.List<String> TRUNCATED = java.util.List.of("truncated");
    private static final long DAY_MILLIS = 86_400_000L;
    private final String namespace;
    private final String prefix;
    private final boolean dataStream;
    private final long maxDocumentBytes;
    private final ThreadLocal<EcsJsonWriter> writers = ThreadLocal.withInitial(EcsJsonWriter::new);

    public RenderProcessor(String namespace) {
        this(namespace, Long.MAX_VALUE);
    }

    public RenderProcessor(String namespace, long maxDocumentBytes) {
        this("logs", namespace, maxDocumentBytes);
    }

    /** @param prefix the first part of every index name ({@code caravan.index.prefix}) */
    public RenderProcessor(String prefix, String namespace, long maxDocumentBytes) {
        this(prefix, namespace, maxDocumentBytes, false);
    }

    /** @param dataStream write to {@code <prefix>-<dataset>-<namespace>} data streams instead of daily indices */
    public RenderProcessor(String prefix, String namespace, long maxDocumentBytes, boolean dataStream) {
        this.dataStream = dataStream;
        this.prefix = prefix;
        this.namespace = namespace;
        this.maxDocumentBytes = maxDocumentBytes;
    }

    @Override
    public void process(Exchange exchange) {
        IndexBatch batch = exchange.getMessage().getBody(IndexBatch.class);
        Pass pass = new Pass(writers.get());
        for (Item item : batch.items()) {
            PendingDoc doc;
            try {
                doc = render(item, pass);
            } catch (RuntimeException e) {
                fail(batch, item, "render", "cannot render the document: " + e, e.getClass().getName());
                continue;
            }
            if (doc.json().length > maxDocumentBytes) {
                fail(batch, item, "oversize", "document of " + doc.json().length + " bytes is over "
                        + "caravan.index.max-document-bytes (" + maxDocumentBytes + ")", "oversize");
                continue;
            }
            batch.docs().add(doc);
        }
        batch.items().clear();
    }

    private static void fail(IndexBatch batch, Item item, String stage, String reason, String exception) {
        batch.failures().add(new IndexBatch.Failure(stage, reason, exception, 0, item.dataset(),
                item.envelope().source(), item.origin()));
        Metrics.failed(stage, item.dataset()).increment();
        LOG.warn("Record {} failed at {}: {}", item.origin().position(), stage, SafeLog.escape(reason));
    }

    /**
     * What a batch's documents share, taken once per batch: this thread's writer and hasher (a
     * thread-local lookup per document showed in the index thread's profile), the ingest time, and
     * the index and read-time memos.
     */
    private final class Pass {
        final EcsJsonWriter writer;
        final DocumentIds.Hasher ids = DocumentIds.hasher();
        final String ingested = Timestamps.iso(System.currentTimeMillis());
        final IndexOf indexOf = new IndexOf();
        final DeliveryDelay.ReadTimes reads = new DeliveryDelay.ReadTimes();

        Pass(EcsJsonWriter writer) {
            this.writer = writer;
        }
    }

    private PendingDoc render(Item item, Pass pass) {
        DeliveryDelay.ReadTimes reads = pass.reads;
        LogEvent event = item.event();
        Envelope env = item.envelope();
        if (event.timestampMillis == LogEvent.ABSENT) {
            event.timestampMillis = createdMillis(env);
        }
        if (event.get("service.name") == null) {
            // A service the line names itself ("[payment-service]") is more precise than its source's label.
            event.put("service.name", env.service());
        }
        event.put("host.name", env.host())
                .put("log.file.path", env.path())
                .put("event.dataset", item.dataset())
                .put("event.ingested", pass.ingested)
                .put("caravan.source", env.source());
        long read = reads.millis(env.created());
        if (read != DeliveryDelay.UNKNOWN && event.get("event.created") == null) {
            // ECS: when the shipper read the line; beside event.ingested it shows where a late event waited
            event.put("event.created", reads.iso());
        }
        if (event.message == null) {
            event.message = env.message();
        }
        if (env.offset() >= 0) {
            event.put("log.offset", env.offset());
        }
        if (env.truncated()) {
            event.put("log.flags", TRUNCATED);
        }
        String hash = pass.ids.content(env.message(), env.host(), env.path());
        event.put("caravan." + ConflictCheck.FIELD, hash);
        return new PendingDoc(id(env, item.origin(), pass.ids), pass.indexOf.index(item.dataset(), event.timestampMillis),
                pass.writer.write(event), item.dataset(), env.source(), item.origin(), hash, read);
    }

    /**
     * The index of a document, named once per dataset and day within a batch rather than per record:
     * a batch's records are mostly of one dataset and day, and naming one builds several strings.
     */
    private final class IndexOf {
        private String dataset;
        private long day = Long.MIN_VALUE;
        private String name;

        String index(String ds, long millis) {
            long d = dataStream ? 0 : Math.floorDiv(millis, DAY_MILLIS);
            if (name == null || d != day || !java.util.Objects.equals(ds, dataset)) {
                name = dataStream ? IndexNames.stream(prefix, ds, namespace) : IndexNames.daily(prefix, ds, namespace, millis);
                dataset = ds;
                day = d;
            }
            return name;
        }
    }

    /**
     * The document id: the route's own when it named one; the file position when the record has one
     * (the tailer's, or another shipper's path and offset); else the record's place in Kafka. Without
     * the last, every record of a {@code timer:} or {@code file:} source had the same id.
     */
    static String id(Envelope env, RecordOrigin origin) {
        return id(env, origin, DocumentIds.hasher());
    }

    private static String id(Envelope env, RecordOrigin origin, DocumentIds.Hasher ids) {
        if (env.id() != null) {
            return ids.ofName(env.id());
        }
        if (env.offset() >= 0 && (env.fileId() != null || env.path() != null)) {
            return ids.of(env.host(), env.fileId() != null ? env.fileId() : env.path(), env.offset());
        }
        return ids.ofRecord(origin.idPosition());
    }

    private static long createdMillis(Envelope env) {
        try {
            return Instant.parse(env.created()).toEpochMilli();
        } catch (RuntimeException e) {
            return System.currentTimeMillis();
        }
    }
}
