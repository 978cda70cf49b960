package caravan.ship.tail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Hands each line from the {@link Tailer} to the route asynchronously and reports the outcome
 * back: in the ship route the exchange completes in the Kafka producer's send callback, after
 * acks=all, so a line counts as delivered only once Kafka holds it.
 *
 * <p>With maxBatchLines above 1, consecutive lines of one file travel together: one exchange whose
 * body is a List of Messages ({@link TailLine}s), one per line. The batch is sent when it is full, when a line of
 * another file comes, and at the end of every turn of the reader on a file, so a line never waits
 * for lines that are not written yet. Every line is still its own event for the checkpoint: when
 * the exchange succeeds they all count as delivered; when it fails, only the lines Kafka
 * acknowledged anyway do (see {@link TailConstants#LINE_ACKNOWLEDGEMENT}), and the file is read again from the
 * first line that is not on Kafka.
 */
public class TailConsumer extends DefaultConsumer implements TailSink {
    private final TailEndpoint endpoint;
    /** Volatile: health checks read it from their own threads. */
    private volatile Tailer tailer;
    private ExecutorService executor;
    private String host;
    private int maxBatch;
    /** The batch being gathered: reader thread only. */
    private final List<TailEvent> batch = new ArrayList<>();

    public TailConsumer(TailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        host = endpoint.getHost() != null ? endpoint.getHost() : TailEndpoint.hostName();
        maxBatch = ((TailComponent) endpoint.getComponent()).batchLinesFor(endpoint, getRouteId());
        batch.clear();
        String source = getRouteId() != null ? getRouteId() : endpoint.getPath();
        Tailer t = new Tailer(endpoint.options(source), this, java.time.Clock.systemUTC(),
                ((TailComponent) endpoint.getComponent()).metrics(source));
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "tail-" + source);
        t.start(executor);
        tailer = t;
    }

    @Override
    protected void doStop() throws Exception {
        if (tailer != null) {
            var strategy = getEndpoint().getCamelContext().getShutdownStrategy();
            tailer.stop(Math.max(1000, strategy.getTimeUnit().toMillis(strategy.getTimeout())));
            tailer = null;
        }
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        super.doStop();
    }

    @Override
    public void send(TailEvent event) {
        if (maxBatch > 1) {
            if (!batch.isEmpty() && batch.get(0).stream != event.stream) {
                flush();
            }
            batch.add(event);
            if (batch.size() >= maxBatch) {
                flush();
            }
            return;
        }
        Exchange exchange = createExchange(false);
        Message m = exchange.getMessage();
        m.setBody(event.text());
        m.setHeader(TailConstants.OFFSET, event.offset());
        if (event.truncated()) {
            m.setHeader(TailConstants.TRUNCATED, Boolean.TRUE);
        }
        fileHeaders(m, event);
        try {
            getAsyncProcessor().process(exchange, doneSync -> {
                Exception error = exchange.getException();
                releaseExchange(exchange, false);
                event.done(error == null, error);
            });
        } catch (RuntimeException e) {
            releaseExchange(exchange, false);
            event.done(false, e);
        }
    }

    /** Sends the batch gathered so far, if any, as one exchange. */
    @Override
    public void flush() {
        if (batch.isEmpty()) {
            return;
        }
        TailEvent[] events = batch.toArray(new TailEvent[0]);
        batch.clear();
        Message[] lines = new Message[events.length];
        Exchange exchange;
        try {
            exchange = createExchange(false);
            for (int i = 0; i < events.length; i++) {
                TailEvent e = events[i];
                lines[i] = new TailLine(exchange.getContext(), e.text(), e.offset(), e.truncated());
            }
            Message m = exchange.getMessage();
            m.setBody(new ArrayList<>(List.of(lines)));
            fileHeaders(m, events[0]);
        } catch (RuntimeException e) {
            for (TailEvent event : events) {
                event.done(false, e);
            }
            return;
        }
        try {
            getAsyncProcessor().process(exchange, doneSync -> {
                Exception error = exchange.getException();
                LineAcknowledgement acknowledgement = error == null ? null
                        : exchange.getProperty(TailConstants.LINE_ACKNOWLEDGEMENT, LineAcknowledgement.class);
                releaseExchange(exchange, false);
                for (int i = 0; i < events.length; i++) {
                    // a failed exchange may still have put some of its lines on Kafka: those count as
                    // delivered, so the re-read sends only the others
                    events[i].done(error == null || acknowledgement != null && acknowledgement.acknowledged(lines[i]), error);
                }
            });
        } catch (RuntimeException e) {
            releaseExchange(exchange, false);
            for (TailEvent event : events) {
                event.done(false, e);
            }
        }
    }

    /** The headers of the file an event (or a batch of its events) comes from. */
    private void fileHeaders(Message m, TailEvent event) {
        m.setHeader(TailConstants.FILE_PATH, event.path());
        m.setHeader(TailConstants.FILE_ID, event.fileId());
        m.setHeader(TailConstants.HOST, host);
        m.setHeader(TailConstants.SOURCE, getRouteId());
        if (endpoint.getFormat() != null) {
            m.setHeader(TailConstants.FORMAT, endpoint.getFormat());
        }
        if (endpoint.getService() != null) {
            m.setHeader(TailConstants.SERVICE, endpoint.getService());
        }
        if (endpoint.getDataset() != null) {
            m.setHeader(TailConstants.DATASET, endpoint.getDataset());
        }
    }

    /**
     * Why this source's last checkpoint write failed, or null: readiness goes down on it, since a
     * new file is not read until its entry is on disk.
     */
    public String checkpointFailure() {
        Tailer t = tailer;
        return t == null ? null : t.checkpointFailure();
    }

    /** In flight now: for tests and health. */
    int inflight() {
        Tailer t = tailer;
        return t == null ? 0 : t.inflight();
    }
}
