package caravan.index;

import caravan.ops.Metrics;
import caravan.ops.SafeLog;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk-indexes a batch's documents through the camel-elasticsearch endpoint and checks every item.
 *
 * <ul>
 *   <li>created, or 409 version conflict on create (the deterministic id is already there): done;</li>
 *   <li>429 and 5xx, or the whole request failing: retried with capped exponential backoff and jitter,
 *       items only, until they succeed. The batch's Kafka offsets are not committed meanwhile, so
 *       a crash here repeats work but loses none;</li>
 *   <li>any other 4xx (a mapping conflict): rejected with Elasticsearch's reason.</li>
 * </ul>
 */
public final class BulkWriter implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);

    private final ProducerTemplate producer;
    private final IndexTemplates templates;
    private final String endpointUri;
    private final int maxDocs;
    private final long maxBytes;
    private final long backoffInitialMs;
    private final long backoffMaxMs;

    public BulkWriter(ProducerTemplate producer, IndexTemplates templates, String endpointUri, int maxDocs,
                      long maxBytes, long backoffInitialMs, long backoffMaxMs) {
        this.producer = producer;
        this.templates = templates;
        this.endpointUri = endpointUri;
        this.maxDocs = maxDocs;
        this.maxBytes = maxBytes;
        this.backoffInitialMs = backoffInitialMs;
        this.backoffMaxMs = backoffMaxMs;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        IndexBatch batch = exchange.getMessage().getBody(IndexBatch.class);
        List<PendingDoc> docs = batch.docs();
        int from = 0;
        while (from < docs.size()) {
            int to = from;
            long bytes = 0;
            while (to < docs.size() && to - from < maxDocs && (to == from || bytes + docs.get(to).json().length <= maxBytes)) {
                bytes += docs.get(to).json().length;
                to++;
            }
            writeAll(docs.subList(from, to), batch);
            from = to;
        }
    }

    /** Sends until every document is indexed or rejected; only retryable items are sent again. */
    private void writeAll(List<PendingDoc> docs, IndexBatch batch) throws InterruptedException {
        List<PendingDoc> pending = docs;
        int attempt = 0;
        while (!pending.isEmpty()) {
            List<PendingDoc> retry = new ArrayList<>();
            try {
                templates.ensureInstalled();
                List<?> items = producer.requestBody(endpointUri, request(pending), List.class);
                for (int i = 0; i < pending.size(); i++) {
                    BulkResponseItem item = (BulkResponseItem) items.get(i);
                    PendingDoc doc = pending.get(i);
                    int status = item.status();
                    if (status < 300 || status == 409) {
                        continue;
                    }
                    String reason = item.error() == null ? "status " + status
                            : item.error().type() + ": " + item.error().reason();
                    if (status == 429 || status >= 500) {
                        Metrics.elasticsearchErrors("retryable").increment();
                        retry.add(doc);
                    } else {
                        Metrics.elasticsearchErrors("rejected").increment();
                        batch.failures().add(new IndexBatch.Failure("index", reason, doc.index(), doc.partition(),
                                doc.offset(), doc.envelope()));
                        LOG.warn("Document {} rejected by Elasticsearch ({}): {}", doc.id(), status, SafeLog.escape(reason));
                    }
                }
            } catch (RuntimeException | java.io.IOException e) {
                Metrics.elasticsearchErrors("request").increment();
                LOG.warn("Bulk request of {} documents failed, will retry: {}", pending.size(), e.getMessage());
                retry = pending;
            }
            pending = retry;
            if (!pending.isEmpty()) {
                Thread.sleep(backoff(attempt++));
            }
        }
    }

    /** Capped exponential backoff with full jitter, so many indexers don't retry in lockstep. */
    long backoff(int attempt) {
        long cap = Math.min(backoffMaxMs, backoffInitialMs << Math.min(attempt, 20));
        return backoffInitialMs / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, cap));
    }

    private static BulkRequest.Builder request(List<PendingDoc> docs) {
        BulkRequest.Builder b = new BulkRequest.Builder();
        for (PendingDoc d : docs) {
            BinaryData body = BinaryData.of(d.json(), ContentType.APPLICATION_JSON);
            b.operations(BulkOperation.of(op -> op.create(c -> c.index(d.index()).id(d.id()).document(body))));
        }
        return b;
    }
}
