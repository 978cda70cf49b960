package caravan.ship.tail;

import caravan.ship.ShipHeaders;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Hands each line from the {@link Tailer} to the route asynchronously and reports the outcome
 * back: in the ship route the exchange completes in the Kafka producer's send callback, after
 * acks=all, so a line counts as delivered only once Kafka holds it.
 */
public class TailConsumer extends DefaultConsumer implements Tailer.Sink {
    private final TailEndpoint endpoint;
    private Tailer tailer;
    private ExecutorService executor;
    private String host;

    public TailConsumer(TailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        host = endpoint.getHost() != null ? endpoint.getHost() : TailEndpoint.hostName();
        String source = getRouteId() != null ? getRouteId() : endpoint.getPath();
        Tailer t = new Tailer(endpoint.options(source), this);
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
        Exchange exchange = createExchange(false);
        Message m = exchange.getMessage();
        m.setBody(event.text());
        m.setHeader(ShipHeaders.FILE_PATH, event.path());
        m.setHeader(ShipHeaders.OFFSET, event.offset());
        m.setHeader(ShipHeaders.FILE_ID, event.fileId());
        m.setHeader(ShipHeaders.HOST, host);
        m.setHeader(ShipHeaders.SOURCE, getRouteId());
        if (endpoint.getFormat() != null) {
            m.setHeader(ShipHeaders.FORMAT, endpoint.getFormat());
        }
        if (endpoint.getService() != null) {
            m.setHeader(ShipHeaders.SERVICE, endpoint.getService());
        }
        if (endpoint.getDataset() != null) {
            m.setHeader(ShipHeaders.DATASET, endpoint.getDataset());
        }
        if (event.truncated()) {
            m.setHeader(ShipHeaders.TRUNCATED, Boolean.TRUE);
        }
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

    /** In flight now: for tests and health. */
    int inflight() {
        Tailer t = tailer;
        return t == null ? 0 : t.inflight();
    }
}
