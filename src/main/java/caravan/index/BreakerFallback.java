package caravan.index;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The circuit breaker's fallback: the batch stays as it is (its unsettled documents are still
 * unsettled, nothing is dead-lettered) and the loop around the breaker waits and tries again.
 */
public final class BreakerFallback implements Processor {
    @Override
    public void process(Exchange exchange) {
        IndexBatch batch = exchange.getMessage().getBody(IndexBatch.class);
        if (batch.lastError() == null) {
            Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            batch.lastError(caught != null ? caught
                    : new ElasticsearchUnavailable("circuit open: bulk request not attempted", null));
        }
    }
}
