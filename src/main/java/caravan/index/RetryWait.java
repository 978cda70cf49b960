package caravan.index;

import caravan.common.Backoff;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The wait between two bulk attempts of the same batch, with the Kafka consumer paused and polled.
 *
 * <p>While the circuit is open it waits for the breaker to turn half-open (its next attempt is the
 * probe); otherwise it waits a capped exponential backoff with jitter: after per-item 429/5xx, or
 * after a failed request that has not opened the circuit yet.
 */
public final class RetryWait implements Processor {
    private final ElasticsearchBreaker breaker;
    private final ConsumerControl consumer;
    private final Backoff backoff;

    public RetryWait(ElasticsearchBreaker breaker, ConsumerControl consumer, Backoff backoff) {
        this.breaker = breaker;
        this.consumer = consumer;
        this.backoff = backoff;
    }

    @Override
    public void process(Exchange exchange) {
        IndexBatch batch = exchange.getMessage().getBody(IndexBatch.class);
        if (!batch.hasUnsettled()) {
            return;
        }
        if (breaker.isOpen()) {
            // Poll while paused until the breaker's own timer makes it half-open; then loop and probe.
            consumer.waitPaused(exchange, backoff.maxMs(), () -> !breaker.isOpen());
            return;
        }
        long delay = backoff.delayMs(batch.attempts());
        batch.attempted();
        consumer.waitPaused(exchange, delay, () -> false);
    }
}
