package caravan.index;

import caravan.common.SafeLog;
import caravan.event.Timestamps;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index route's dead letter channel: a batch on which a route step threw an unexpected
 * exception. Every record of the batch goes to the DLQ with the step and the exception, and then
 * counts as settled, so its offsets are committed, so the route moves on and the same poison batch is not read
 * again and again. Records of the batch that did reach Elasticsearch come back as 409s if they
 * are replayed, so replaying the whole batch is safe.
 */
public final class FailedBatchProcessor implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(FailedBatchProcessor.class);
    private final DeadLetterPublisher publisher;
    private final ConsumerControl consumer;
    private final IndexBatches batches;
    private final java.util.function.Consumer<IndexBatch> finish;

    /** @param finish runs the finishing steps on an older batch still in flight */
    public FailedBatchProcessor(DeadLetterPublisher publisher, ConsumerControl consumer, IndexBatches batches,
                                java.util.function.Consumer<IndexBatch> finish) {
        this.publisher = publisher;
        this.consumer = consumer;
        this.batches = batches;
        this.finish = finish;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        IndexBatch failed = exchange.getMessage().getBody() instanceof IndexBatch b ? b : null;
        List<RecordOrigin> origins = toDeadLetter(exchange);
        if (failed == null || batches.oldest() != failed) {
            // Older batches still in flight are finished first; the tracker keeps commits in order anyway.
            batches.flush(finish);
        }
        if (origins.isEmpty()) {
            LOG.error("A batch failed and no records were found to dead-letter", cause);
            batches.deadLettered(failed, List.of());
            return;
        }
        String stage = failedStep(exchange);
        String reason = "unexpected error in step " + stage + ": " + cause;
        String exceptionClass = cause == null ? "unknown" : cause.getClass().getName();
        LOG.error("Batch of {} records failed in step {}; sending it to the DLQ: {}", origins.size(), stage,
                SafeLog.escape(String.valueOf(cause)), cause);
        String now = Timestamps.iso(System.currentTimeMillis());
        List<DeadLetter> letters = new ArrayList<>(origins.size());
        for (RecordOrigin origin : origins) {
            letters.add(new DeadLetter(origin, stage, reason, exceptionClass, 0, null, null, now));
        }
        publisher.publish(letters, exchange, consumer);
        batches.deadLettered(failed, origins);
    }

    /**
     * The envelopes of the failed batch: a parsed batch's own origins (when the window is full the exchange carries
     * the oldest batch, not the poll it was made for); before parsing, its chunk of origins ({@link PollChunks}), or
     * before that the record exchanges as polled, one origin per line of a record of several.
     */
    static List<RecordOrigin> toDeadLetter(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof IndexBatch batch) {
            return batch.origins();
        }
        List<?> records = exchange.getProperty(IndexRoute.RECORDS, List.class);
        if (records == null && body instanceof List<?> l) {
            records = l;
        }
        if (records == null) {
            return List.of();
        }
        return PollChunks.origins(records);
    }

    private static final String FAILED_STEP = "caravanFailedStep";

    /** Runs before the dead letter channel takes over, while Camel still knows which step threw. */
    static void rememberFailedStep(Exchange exchange) {
        String node = exchange.getExchangeExtension().getHistoryNodeId();
        if (node != null && !node.isBlank()) {
            exchange.setProperty(FAILED_STEP, node);
        }
    }

    /** The id of the step that threw, as far as Camel tells. */
    static String failedStep(Exchange exchange) {
        String node = exchange.getProperty(FAILED_STEP, String.class);
        if (node != null) {
            return node;
        }
        String route = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        return route != null ? "route:" + route : "unknown";
    }
}
