package caravan.ship;

import caravan.index.Timestamps;
import caravan.parse.Parsers;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Wraps a line from a source endpoint into the {@link Envelope} and sets the Kafka key.
 *
 * <p>The dataset defaults to the one the source's format parses into, so that the envelope alone
 * says which daily index its document belongs to.
 */
public final class EnvelopeProcessor implements Processor {

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        // Each header is read and removed in one step: the envelope carries them from here on, and
        // left on the message camel-kafka would copy every one into each record's Kafka headers (its
        // filter only drops Camel* and kafka.*). One map operation per header, not a get and a
        // wildcard remove: this runs once per line shipped.
        Map<String, Object> h = in.getHeaders();
        String format = take(h, ShipHeaders.FORMAT, String.class, exchange);
        String dataset = take(h, ShipHeaders.DATASET, String.class, exchange);
        if (dataset == null && format != null) {
            dataset = Parsers.forFormat(format).dataset();
        }
        Long offset = take(h, ShipHeaders.OFFSET, Long.class, exchange);
        Envelope envelope = new Envelope(
                in.getBody(String.class),
                take(h, ShipHeaders.FILE_PATH, String.class, exchange),
                offset == null ? -1L : offset,
                take(h, ShipHeaders.HOST, String.class, exchange),
                dataset,
                Timestamps.iso(System.currentTimeMillis()),
                take(h, ShipHeaders.SERVICE, String.class, exchange),
                take(h, ShipHeaders.SOURCE, String.class, exchange),
                format,
                take(h, ShipHeaders.FILE_ID, String.class, exchange),
                Boolean.TRUE.equals(take(h, ShipHeaders.TRUNCATED, Boolean.class, exchange)));
        in.setHeader(KafkaConstants.KEY, envelope.key());
        in.setBody(envelope.toJson());
    }

    private static <T> T take(Map<String, Object> headers, String name, Class<T> type, Exchange exchange) {
        Object v = headers.remove(name);
        if (v == null || type.isInstance(v)) {
            return type.cast(v);
        }
        return exchange.getContext().getTypeConverter().convertTo(type, exchange, v);
    }
}
