package caravan.common;

import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.support.ExpressionAdapter;

/**
 * The throttle steps of the ship and index routes: Camel's Throttle EIP in total-requests mode,
 * {@code perSecond} permits per second, blocking the caller until a permit frees up. A throttled
 * pipeline slows down (the tailer reads slower, the indexer polls later); it never drops.
 * {@code caravan.throttle.delay} records how long each exchange waited. 0 leaves the route as it
 * is.
 */
public final class Throttling {
    private static final String ENTERED = "caravanThrottleEntered";
    private static final Expression RECORD_COUNT = new ExpressionAdapter() {
        @Override
        public Object evaluate(Exchange exchange) {
            List<?> records = exchange.getMessage().getBody(List.class);
            return records == null ? 0 : records.size();
        }
    };

    private static final Expression LINE_COUNT = new ExpressionAdapter() {
        @Override
        public Object evaluate(Exchange exchange) {
            return exchange.getMessage().getBody() instanceof List<?> lines ? lines.size() : 1;
        }
    };

    private Throttling() {
    }

    /**
     * One permit per line: the ship route, where an exchange is a line (String body) or a batch of
     * lines of one file (a List body, tail:'s maxBatchLines), which passes the throttle once per line.
     * One throttle serves both, so that the limit holds across sources whatever their batching.
     */
    public static void perLine(ProcessorDefinition<?> route, long perSecond, String routeId) {
        throttle(route, perSecond, routeId, LINE_COUNT, "-throttle-per-line");
    }

    /**
     * One permit per element of a batch: the index route, where an exchange is a batch of up to
     * {@code caravan.index.batch.records} envelopes (a record of several lines gives one each). The
     * batch passes the throttle once per element (a loop over its size), so the limit is in events
     * per second whatever the batch or record size, and a batch goes on only when it has a permit
     * for every element.
     */
    public static void perRecord(ProcessorDefinition<?> route, long perSecond, String routeId) {
        throttle(route, perSecond, routeId, RECORD_COUNT, "-throttle-per-record");
    }

    /** {@code permits} passes of the throttle per exchange, the time waited recorded per route. */
    private static void throttle(ProcessorDefinition<?> route, long perSecond, String routeId, Expression permits,
                                 String loopIdSuffix) {
        if (perSecond <= 0) {
            return;
        }
        Timer delay = Metrics.throttleDelay(routeId);
        route.process(Throttling::enter).id(routeId + "-throttle-in")
                .loop(permits).id(routeId + loopIdSuffix)
                    .throttle(perSecond).timePeriodMillis(1000).id(routeId + "-throttle")
                .end();
        route.process(e -> leave(e, delay)).id(routeId + "-throttle-out");
    }

    private static void enter(Exchange e) {
        e.setProperty(ENTERED, System.nanoTime());
    }

    private static void leave(Exchange e, Timer delay) {
        Long entered = e.getProperty(ENTERED, Long.class);
        if (entered != null) {
            delay.record(System.nanoTime() - entered, TimeUnit.NANOSECONDS);
            e.removeProperty(ENTERED);
        }
    }
}
