package caravan.index;

import caravan.common.Metrics;
import caravan.common.SafeLog;
import caravan.enrich.Enricher;
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
            try {
                enricher.enrich(item.event());
            } catch (RuntimeException e) {
                // An enricher bug must not cost the event: index it without these fields, and say so.
                Metrics.failed("enrich." + enricher.name(), item.dataset()).increment();
                LOG.warn("Enricher {} failed on record {}@{}: {}", enricher.name(), item.partition(), item.offset(),
                        SafeLog.escape(String.valueOf(e)));
            }
        }
        if (!batch.items().isEmpty()) {
            Metrics.processingSeconds("enrich." + enricher.name(), "all")
                    .record((System.nanoTime() - started) / batch.items().size(), TimeUnit.NANOSECONDS);
        }
    }

    public Enricher enricher() {
        return enricher;
    }
}
