package caravan.index;

import caravan.common.Metrics;
import caravan.common.SafeLog;
import caravan.enrich.Enricher;
import caravan.event.LogEvent;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One enricher as a step of the index route, applied to every event of the batch. */
public final class EnrichProcessor implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(EnrichProcessor.class);
    private final Enricher enricher;

    public EnrichProcessor(Enricher enricher) {
        this.enricher = enricher;
    }

    @Override
    public void process(Exchange exchange) {
        IndexBatch batch = exchange.getMessage().getBody(IndexBatch.class);
        long started = System.nanoTime();
        for (IndexBatch.Item item : batch.items()) {
            RuntimeException e = apply(enricher, item.event());
            if (e != null) { // the place is spelt out only for the warning, not for every record
                failed(enricher, item.dataset(), "record " + item.partition() + "@" + item.offset(), e);
            }
        }
        if (!batch.items().isEmpty()) {
            Metrics.processingSeconds("enrich." + enricher.name(), "all")
                    .record((System.nanoTime() - started) / batch.items().size(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * One enricher on one event, as the index route runs it (and {@code caravan parse} after it): an
     * enricher bug must not cost the event, which goes on without these fields, counted and said.
     *
     * @param where the event's place, for the warning ({@code record 3@1200})
     */
    public static void enrich(Enricher enricher, LogEvent event, String dataset, String where) {
        RuntimeException e = apply(enricher, event);
        if (e != null) {
            failed(enricher, dataset, where, e);
        }
    }

    /** Runs the enricher; what it threw, or null. */
    private static RuntimeException apply(Enricher enricher, LogEvent event) {
        try {
            enricher.enrich(event);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static void failed(Enricher enricher, String dataset, String where, RuntimeException e) {
        Metrics.failed("enrich." + enricher.name(), dataset).increment();
        LOG.warn("Enricher {} failed on {}: {}", enricher.name(), where, SafeLog.escape(String.valueOf(e)));
    }

    public Enricher enricher() {
        return enricher;
    }
}
