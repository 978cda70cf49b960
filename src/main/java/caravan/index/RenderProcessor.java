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
    private final String namespace;
    private final long maxDocumentBytes;
    private final ThreadLocal<EcsJsonWriter> writers = ThreadLocal.withInitial(EcsJsonWriter::new);

    public RenderProcessor(String namespace) {
        this(namespace, Long.MAX_VALUE);
    }

    public RenderProcessor(String namespace, long maxDocumentBytes) {
        this.namespace = namespace;
        this.maxDocumentBytes = maxDocumentBytes;
    }

    @Override
    public void process(Exchange exchange) {
        IndexBatch batch = exchange.getMessage().getBody(IndexBatch.class);
        EcsJsonWriter writer = writers.get();
        String ingested = Timestamps.iso(System.currentTimeMillis());
        for (Item item : batch.items()) {
            PendingDoc doc;
            try {
                doc = render(item, ingested, writer);
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

    PendingDoc render(Item item, String ingested, EcsJsonWriter writer) {
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
                .put("event.ingested", ingested)
                .put("caravan.source", env.source());
        if (event.message == null) {
            event.message = env.message();
        }
        if (env.offset() >= 0) {
            event.put("log.offset", env.offset());
        }
        return new PendingDoc(DocumentIds.of(env.host(), env.fileId(), env.offset()),
                IndexNames.daily(item.dataset(), namespace, event.timestampMillis),
                writer.write(event), item.dataset(), env.source(), item.origin());
    }

    private static long createdMillis(Envelope env) {
        try {
            return Instant.parse(env.created()).toEpochMilli();
        } catch (RuntimeException e) {
            return System.currentTimeMillis();
        }
    }
}
