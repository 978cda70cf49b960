package caravan.index;

import caravan.common.Metrics;
import caravan.common.SafeLog;
import caravan.search.Bulk;
import caravan.search.Refusals;
import caravan.search.SearchCluster;
import caravan.search.SearchRefused;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.elasticsearch.client.ResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bulk attempt for a batch: sends every unsettled document as plain NDJSON ({@link Bulk}, the
 * same on every engine and version), in requests sized by documents and bytes, and settles each item
 * by its own result
 * ({@link BulkItems}):
 *
 * <ul>
 *   <li>created, or 409 on create (the deterministic id is already there): done;</li>
 *   <li>429 and 5xx: stays unsettled, for the next attempt after a backoff;</li>
 *   <li>any other 4xx (a mapping conflict, a bad value): rejected with Elasticsearch's reason, to the DLQ.</li>
 * </ul>
 *
 * <p>A request that gets no bulk response at all leaves its documents unsettled and, after the
 * attempt, throws {@link ElasticsearchUnavailable}, which the route's circuit breaker counts. Two
 * whole-request answers are not outages: 429 (Elasticsearch's memory circuit breaker) just backs
 * off, and 413 (request too large) halves the request until a single document that is still too
 * large is rejected as oversize.
 *
 * <p>A refusal that no retry fixes (401, 403, a 400 on the request itself, an untrusted certificate,
 * an unsupported engine) is not an outage either: it throws {@link SearchRefused}, which the breaker
 * ignores; the batch waits, readiness says why ({@link SearchCluster#refusal()}).
 */
public final class BulkWriter implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);

    private final SearchCluster cluster;
    private final IndexTemplates templates;
    private final int maxDocs;
    private final long maxBytes;
    private final int concurrency;
    private volatile ConflictCheck conflicts;
    private final DeliveryDelay delivery = new DeliveryDelay(Metrics.deliverySeconds());

    public BulkWriter(SearchCluster cluster, IndexTemplates templates, int maxDocs, long maxBytes, int concurrency) {
        this.cluster = cluster;
        this.templates = templates;
        this.maxDocs = Math.max(1, maxDocs);
        this.maxBytes = Math.max(1, maxBytes);
        this.concurrency = Math.max(1, concurrency);
    }

    /**
     * One attempt: settles the requests sent ahead ({@link #submit}) if there are any, then sends the
     * rest of the unsettled documents in waves of up to {@code concurrency} requests, settling each
     * wave before the next. After a wave with a failed request the rest is not sent: it would only
     * add load (or timeouts) to a node that is not answering.
     */
    @Override
    public void process(Exchange exchange) {
        IndexBatch batch = exchange.getMessage().getBody(IndexBatch.class);
        batch.lastError(null);
        List<IndexBatch.InFlight> wave = batch.inFlight();
        batch.inFlight(null);
        if (wave == null) {
            if (!batch.hasUnsettled()) {
                return;
            }
            ensureTemplates(batch);
        }
        List<PendingDoc> all = batch.unsettled();
        int sentDocs = 0;
        if (wave != null) {
            for (IndexBatch.InFlight f : wave) {
                sentDocs += f.docs().size();
            }
        }
        List<List<PendingDoc>> rest = chunks(all.subList(sentDocs, all.size()), maxDocs, maxBytes);
        List<PendingDoc> next = new ArrayList<>();
        Exception failure = null;
        int i = 0;
        while (failure == null && (wave != null || i < rest.size())) {
            if (wave == null) {
                wave = send(rest, i);
                i += wave.size();
            }
            for (IndexBatch.InFlight f : wave) {
                Exception e = settle(f.docs(), f.response(), batch, next);
                if (e != null && failure == null) {
                    failure = e;
                }
            }
            wave = null;
        }
        for (; i < rest.size(); i++) {
            next.addAll(rest.get(i)); // not sent after a failure
        }
        batch.unsettled(next);
        if (failure != null) {
            throw failed(batch, "bulk request failed", failure);
        }
    }

    /**
     * Sends the batch's first wave now and returns without waiting (see {@link IndexBatches}): the
     * next {@link #process} on the batch settles those responses first, then sends the rest.
     *
     * @return false if nothing was sent (nothing to send, or the template cannot be installed now;
     *         then the batch's first attempt happens in the bulk loop as usual)
     */
    public boolean submit(IndexBatch batch) {
        if (!batch.hasUnsettled()) {
            return false;
        }
        try {
            templates.ensureInstalled();
        } catch (Exception e) {
            return false;
        }
        batch.inFlight(send(chunks(batch.unsettled(), maxDocs, maxBytes), 0));
        return true;
    }

    private void ensureTemplates(IndexBatch batch) {
        try {
            templates.ensureInstalled();
        } catch (Exception e) {
            throw failed(batch, "cannot install the index template", e);
        }
    }

    /** The one send path: up to {@code concurrency} requests from {@code chunks[from]} on, all in flight at once. */
    private List<IndexBatch.InFlight> send(List<List<PendingDoc>> chunks, int from) {
        int end = Math.min(chunks.size(), from + concurrency);
        List<IndexBatch.InFlight> wave = new ArrayList<>(end - from);
        for (int k = from; k < end; k++) {
            wave.add(new IndexBatch.InFlight(chunks.get(k), send(chunks.get(k))));
        }
        return wave;
    }

    private CompletableFuture<List<Bulk.Item>> send(List<PendingDoc> chunk) {
        try {
            long t0 = System.nanoTime();
            long[] reads = DeliveryDelay.reads(chunk);
            CompletableFuture<List<Bulk.Item>> f = Bulk.send(cluster.client(), request(chunk));
            f.whenComplete((r, e) -> {
                Metrics.bulkSeconds().record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
                if (r != null) {
                    delivery.acknowledged(reads, r, System.currentTimeMillis());
                }
            });
            return f;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * What a failed attempt throws: the refusal when no retry can fix it (the breaker ignores it),
     * else {@link ElasticsearchUnavailable}, an outage, after which the engine is asked again.
     */
    private RuntimeException failed(IndexBatch batch, String what, Exception e) {
        SearchRefused refused = Refusals.classify(e, what);
        if (refused != null) {
            batch.lastError(refused);
            return cluster.refused(refused);
        }
        cluster.forget();
        Metrics.elasticsearchErrors("request").increment();
        Throwable cause = unwrap(e);
        ElasticsearchUnavailable u = new ElasticsearchUnavailable(what + ": " + cause, cause);
        batch.lastError(u);
        LOG.warn("{} ({} documents unsettled): {}", what, batch.unsettled().size(), SafeLog.escape(cause.toString()));
        return u;
    }

    /**
     * Settles one request's documents; returns the request's exception if it counts as an outage.
     */
    private Exception settle(List<PendingDoc> chunk, CompletableFuture<List<Bulk.Item>> response, IndexBatch batch,
                             List<PendingDoc> next) {
        List<Bulk.Item> items;
        try {
            items = response.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            next.addAll(chunk);
            throw new IndexingStopped("interrupted during a bulk request", e);
        } catch (ExecutionException e) {
            return requestFailed(chunk, e, batch, next);
        }
        if (items == null || items.size() != chunk.size()) {
            next.addAll(chunk);
            return new IllegalStateException("bulk response has " + (items == null ? 0 : items.size())
                    + " items for " + chunk.size() + " documents");
        }
        cluster.accepted();
        String dataset = null;
        long done = 0;
        List<PendingDoc> toVerify = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            PendingDoc doc = chunk.get(i);
            Bulk.Item item = items.get(i);
            if (conflicts != null && doc.contentHash() != null && item.status() == 409
                    && BulkItems.classify(409, item.errorType()) == BulkItems.Outcome.ALREADY_INDEXED) {
                toVerify.add(doc);
                continue;
            }
            if (settleItem(doc, item, batch, next)) {
                batch.settled(doc.origin());
                if (dataset != null && !dataset.equals(doc.dataset())) {
                    Metrics.processed("index", dataset).increment(done);
                    done = 0;
                }
                dataset = doc.dataset();
                done++;
            }
        }
        if (done > 0) {
            Metrics.processed("index", dataset).increment(done);
        }
        if (!toVerify.isEmpty()) {
            int verified = conflicts.settle(toVerify, batch, next);
            if (verified > 0) {
                Metrics.processed("index", toVerify.get(0).dataset()).increment(verified);
            }
        }
        return null;
    }

    /** Checks 409s against the content hash (see {@link ConflictCheck}) instead of taking them as done. */
    public BulkWriter verifyConflicts(ConflictCheck check) {
        this.conflicts = check;
        return this;
    }

    private Exception requestFailed(List<PendingDoc> chunk, Exception e, IndexBatch batch, List<PendingDoc> next) {
        int status = httpStatus(e);
        if (status == 413) {
            if (chunk.size() == 1) {
                PendingDoc doc = chunk.get(0);
                reject(doc, "oversize", "Elasticsearch refused the document as too large (413, "
                        + doc.json().length + " bytes)", "request_entity_too_large", 413, batch);
                return null;
            }
            LOG.info("Bulk request of {} documents too large for Elasticsearch (413): sending it in halves", chunk.size());
            int half = chunk.size() / 2;
            for (List<PendingDoc> part : List.of(chunk.subList(0, half), chunk.subList(half, chunk.size()))) {
                Exception e2 = settle(part, send(part), batch, next);
                if (e2 != null) {
                    return e2;
                }
            }
            return null;
        }
        next.addAll(chunk);
        if (status == 429) {
            // Elasticsearch is alive and shedding load: back off, but don't trip the circuit.
            Metrics.elasticsearchErrors("retryable").increment();
            LOG.info("Bulk request of {} documents refused with 429, will retry: {}", chunk.size(),
                    SafeLog.escape(unwrap(e).getMessage()));
            return null;
        }
        return e;
    }

    /** Settles one item; true when the document is in Elasticsearch (now or already). */
    private static boolean settleItem(PendingDoc doc, Bulk.Item item, IndexBatch batch, List<PendingDoc> next) {
        int status = item.status();
        String type = item.errorType();
        switch (BulkItems.classify(status, type)) {
            case CREATED, ALREADY_INDEXED -> {
                return true;
            }
            case RETRY -> {
                Metrics.elasticsearchErrors("retryable").increment();
                next.add(doc);
            }
            case REJECT -> reject(doc, "index", type == null ? "status " + status : type + ": " + item.errorReason(),
                    type == null ? "status_" + status : type, status, batch);
        }
        return false;
    }

    private static void reject(PendingDoc doc, String stage, String reason, String type, int status, IndexBatch batch) {
        Metrics.elasticsearchErrors("rejected").increment();
        Metrics.failed(stage, doc.dataset()).increment();
        batch.failures().add(new IndexBatch.Failure(stage, reason, type, status, doc.dataset(), doc.source(), doc.origin()));
        LOG.warn("Document {} from {} rejected by Elasticsearch ({}): {}", doc.id(), doc.origin().position(), status,
                SafeLog.escape(reason));
    }

    /** Splits documents into requests of at most {@code maxDocs} and (but for a lone large one) {@code maxBytes}. */
    static List<List<PendingDoc>> chunks(List<PendingDoc> docs, int maxDocs, long maxBytes) {
        List<List<PendingDoc>> out = new ArrayList<>();
        int from = 0;
        while (from < docs.size()) {
            int to = from;
            long bytes = 0;
            while (to < docs.size() && to - from < maxDocs
                    && (to == from || bytes + docs.get(to).json().length <= maxBytes)) {
                bytes += docs.get(to).json().length;
                to++;
            }
            out.add(docs.subList(from, to));
            from = to;
        }
        return out;
    }

    private static List<Bulk.Create> request(List<PendingDoc> docs) {
        List<Bulk.Create> out = new ArrayList<>(docs.size());
        for (PendingDoc d : docs) {
            out.add(new Bulk.Create(d.index(), d.id(), d.json()));
        }
        return out;
    }

    /** The HTTP status of a failed request, or -1 when it got none (refused, timed out). */
    static int httpStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ResponseException re) {
                return re.getResponse().getStatusLine().getStatusCode();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return -1;
    }

    /** The exception that says what happened: below Camel's and the futures' wrappers. */
    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof org.apache.camel.CamelExecutionException
                || t instanceof org.apache.camel.CamelExchangeException
                || t instanceof java.util.concurrent.CompletionException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
