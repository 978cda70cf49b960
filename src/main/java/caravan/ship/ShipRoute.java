package caravan.ship;

import caravan.ops.Throttling;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

/**
 * {@code direct:ship}: every source route ends here. Lines become envelopes on {@code logs-raw}.
 *
 * <p>The Kafka producer waits for acks=all from an idempotent producer before the exchange
 * completes, and the tailer moves its checkpoint only when the exchange completes: so a line is
 * never checkpointed before Kafka holds it.
 */
public class ShipRoute extends RouteBuilder {
    static final String INLINE_COMPLETION = "caravanShipInlineCompletion";

    @Override
    public void configure() {
        // camel-kafka hands each acknowledged record to a worker pool to complete its exchange, so
        // that routing after the send does not run on the producer's network thread. Nothing follows
        // the send here, and completing is cheap (the tailer moves its checkpoint): done inline it
        // costs a fifth less CPU per line than a pool hand-off per record.
        getCamelContext().getRegistry().bind(INLINE_COMPLETION, new InlineExecutor());
        RouteDefinition route = from("direct:ship").routeId("ship")
                .autoStartup("{{caravan.ship.enabled}}")
                .process(new EnvelopeProcessor()).id("envelope");
        // caravan.ship.throttle.per-second: blocks the tailer's thread when over the limit (0 = off).
        Throttling.perExchange(route, Long.parseLong(getContext().getPropertiesComponent()
                .resolveProperty("caravan.ship.throttle.per-second").orElse("0").trim()), "ship");
        route.to("kafka:{{caravan.kafka.topic.raw}}"
                        + "?requestRequiredAcks=all&enableIdempotence=true"
                        + "&lingerMs={{caravan.ship.kafka.linger-ms}}"
                        + "&compressionCodec={{caravan.ship.kafka.compression}}"
                        // tail: ships lines up to maxLineBytes (1 MiB by default); with the envelope and
                        // JSON escaping that is over the producer's own 1 MiB default, which would fail such
                        // a line for ever. The broker's limit applies to the compressed batch.
                        + "&maxRequestSize=8388608"
                        + "&workerPool=#" + INLINE_COMPLETION
                        + "&keySerializer=org.apache.kafka.common.serialization.StringSerializer"
                        + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer")
                .id("to-logs-raw");
    }

    /** Runs each task on the calling thread. */
    static final class InlineExecutor extends AbstractExecutorService {
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
