package caravan.ship;

import caravan.common.Throttling;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

/**
 * {@code direct:ship}: every source route ends here. Lines become envelopes on {@code logs-raw}.
 *
 * <p>The Kafka producer waits for acks=all from an idempotent producer before the exchange
 * completes, and the tailer moves its checkpoint only when the exchange completes: so a line is
 * never checkpointed before Kafka holds it.
 *
 * <p>An exchange is a line (String body) or a batch of lines of one file (a List of Messages, from
 * {@code tail:...?maxBatchLines=N}). A batch's lines go several to a record
 * ({@code caravan.ship.kafka.lines-per-record}, {@link EnvelopeProcessor}), the file's fields once per
 * record in a header ({@code caravan.ship.kafka.file-fields-once}); camel-kafka sends each
 * element of the List it becomes as its own record, with the element's key, and completes the
 * exchange when Kafka has answered for all of them.
 */
public class ShipRoute extends RouteBuilder {
    static final String INLINE_COMPLETION = "caravanShipInlineCompletion";
    private final ShipSettings settings;
    private final Function<String, String> datasetOfFormat;

    /** @param datasetOfFormat the dataset a source's format parses into, for lines that name none */
    public ShipRoute(ShipSettings settings, Function<String, String> datasetOfFormat) {
        this.settings = settings;
        this.datasetOfFormat = datasetOfFormat;
    }

    @Override
    public void configure() {
        // camel-kafka hands each acknowledged record to a worker pool to complete its exchange, so
        // that routing after the send does not run on the producer's network thread. Nothing follows
        // the send here, and completing is cheap (the tailer moves its checkpoint): done inline it
        // costs a fifth less CPU per line than a pool hand-off per record.
        getCamelContext().getRegistry().bind(INLINE_COMPLETION, new InlineExecutor());
        // A source route that only sends its lines here gets them in batches (a List body), without
        // opting in: a fraction of the CPU per line (BENCHMARKS.md, "Shipping"); throttled, smaller
        // batches (TailComponent#addBatchTarget).
        getCamelContext().getComponent("tail", caravan.ship.tail.TailComponent.class)
                .addBatchTarget("direct:ship", settings.throttlePerSecond());
        // a batch that fails still has the lines Kafka acknowledged: the envelope step tells tail:
        // which (RecordAcks), so that it does not read them again
        RouteDefinition route = from("direct:ship").routeId("ship")
                .autoStartup("{{caravan.ship.enabled}}");
        // caravan.ship.throttle.per-second: blocks the tailer's thread when over the limit (0 = off);
        // before the envelopes, while a batch's body is still its lines.
        Throttling.perLine(route, settings.throttlePerSecond(), "ship");
        route.process(new EnvelopeProcessor(datasetOfFormat, settings.linesPerRecord(), settings.maxRecordBytes(),
                        settings.fileFieldsOnce()))
                .id("envelope")
                .to("kafka:{{caravan.kafka.topic.raw}}"
                        + "?requestRequiredAcks=all&enableIdempotence=true"
                        + "&lingerMs={{caravan.ship.kafka.linger-ms}}"
                        + "&compressionCodec={{caravan.ship.kafka.compression}}"
                        + "&producerBatchSize={{caravan.ship.kafka.batch-size}}"
                        // the producer's buffer is on the heap: sized with the shipper's -Xmx (BENCHMARKS.md "Memory")
                        + "&bufferMemorySize={{caravan.ship.kafka.buffer-memory}}"
                        // tail: ships lines up to maxLineBytes (1 MiB by default); with the envelope and
                        // JSON escaping that is over the producer's own 1 MiB default, which would fail such
                        // a line for ever. The broker's limit applies to the compressed batch.
                        + "&maxRequestSize=8388608"
                        + "&workerPool=#" + INLINE_COMPLETION
                        // each line of a batch carries its record's metadata: see acknowledged()
                        + "&recordMetadata=true"
                        // each record its own Kafka headers (caravan.lines), not the batch exchange's
                        + "&batchWithIndividualHeaders=true"
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
