package caravan.index;

import caravan.event.Timestamps;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The batch's failures (envelope, parse, render, oversize, index) to the dead-letter topic, each
 * with its original bytes and the reason; returns once Kafka has acknowledged them all.
 */
public final class DeadLetterProcessor implements Processor {
    private final DeadLetterPublisher publisher;
    private final ConsumerControl consumer;

    public DeadLetterProcessor(DeadLetterPublisher publisher, ConsumerControl consumer) {
        this.publisher = publisher;
        this.consumer = consumer;
    }

    @Override
    public void process(Exchange exchange) {
        IndexBatch batch = exchange.getMessage().getBody(IndexBatch.class);
        if (batch.failures().isEmpty()) {
            return;
        }
        String now = Timestamps.iso(System.currentTimeMillis());
        List<DeadLetter> letters = new ArrayList<>(batch.failures().size());
        for (IndexBatch.Failure f : batch.failures()) {
            letters.add(new DeadLetter(f.origin(), f.stage(), f.reason(), f.exception(), f.status(), f.dataset(),
                    f.source(), now));
        }
        publisher.publish(letters, exchange, consumer);
        for (IndexBatch.Failure f : batch.failures()) {
            batch.settled(f.origin());
        }
    }
}
