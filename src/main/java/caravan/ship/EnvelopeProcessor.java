package caravan.ship;

import caravan.index.Timestamps;
import caravan.parse.Parsers;
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
        String format = in.getHeader(ShipHeaders.FORMAT, String.class);
        String dataset = in.getHeader(ShipHeaders.DATASET, String.class);
        if (dataset == null && format != null) {
            dataset = Parsers.forFormat(format).dataset();
        }
        Envelope envelope = new Envelope(
                in.getBody(String.class),
                in.getHeader(ShipHeaders.FILE_PATH, String.class),
                in.getHeader(ShipHeaders.OFFSET, -1L, Long.class),
                in.getHeader(ShipHeaders.HOST, String.class),
                dataset,
                Timestamps.iso(System.currentTimeMillis()),
                in.getHeader(ShipHeaders.SERVICE, String.class),
                in.getHeader(ShipHeaders.SOURCE, String.class),
                format,
                in.getHeader(ShipHeaders.FILE_ID, String.class),
                Boolean.TRUE.equals(in.getHeader(ShipHeaders.TRUNCATED, Boolean.class)));
        in.setHeader(KafkaConstants.KEY, envelope.key());
        in.setBody(envelope.toJson());
    }
}
