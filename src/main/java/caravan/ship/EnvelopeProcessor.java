package caravan.ship;

import caravan.event.Envelope;
import caravan.event.Timestamps;
import caravan.ship.tail.TailConstants;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Wraps a line from a source endpoint into the {@link Envelope} and sets the Kafka key.
 *
 * <p>The dataset defaults to the one the source's format parses into, so that the envelope alone
 * says which daily index its document belongs to.
 *
 * <p>A batch (a List body of Messages, one per line of one file: tail:'s maxBatchLines) has the
 * file's headers on the exchange and each line's offset and truncation on its element; every
 * element becomes its line's envelope, with the Kafka key on the element.
 */
public final class EnvelopeProcessor implements Processor {
    private final Function<String, String> datasetOfFormat;

    /** @param datasetOfFormat the dataset a format parses into (the parse stage knows; ship does not) */
    public EnvelopeProcessor(Function<String, String> datasetOfFormat) {
        this.datasetOfFormat = datasetOfFormat;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        // Each header is read and removed in one step: the envelope carries them from here on, and
        // left on the message camel-kafka would copy every one into each record's Kafka headers (its
        // filter only drops Camel* and kafka.*). One map operation per header, not a get and a
        // wildcard remove: this runs once per line shipped.
        Map<String, Object> h = in.getHeaders();
        String format = take(h, TailConstants.FORMAT, String.class, exchange);
        String dataset = take(h, TailConstants.DATASET, String.class, exchange);
        if (dataset == null && format != null) {
            dataset = datasetOfFormat.apply(format);
        }
        String path = take(h, TailConstants.FILE_PATH, String.class, exchange);
        String host = take(h, TailConstants.HOST, String.class, exchange);
        String service = take(h, TailConstants.SERVICE, String.class, exchange);
        String source = take(h, TailConstants.SOURCE, String.class, exchange);
        String fileId = take(h, TailConstants.FILE_ID, String.class, exchange);
        String created = Timestamps.iso(System.currentTimeMillis());
        if (in.getBody() instanceof List<?> lines) {
            String key = null;
            for (Object o : lines) {
                if (!(o instanceof Message line)) {
                    throw new IllegalArgumentException("a batch of lines must be a List of Messages, found "
                            + (o == null ? "null" : o.getClass().getName()));
                }
                Envelope envelope = envelope(line, exchange, path, host, dataset, created, service, source, format,
                        fileId);
                if (key == null) {
                    key = envelope.key();
                }
                line.setHeader(KafkaConstants.KEY, key);
                line.setBody(envelope.toJson());
            }
            return;
        }
        Envelope envelope = envelope(in, exchange, path, host, dataset, created, service, source, format, fileId);
        in.setHeader(KafkaConstants.KEY, envelope.key());
        in.setBody(envelope.toJson());
    }

    /** The envelope of one line: its body, offset and truncation, and the file's fields. */
    private static Envelope envelope(Message line, Exchange exchange, String path, String host, String dataset,
                                     String created, String service, String source, String format, String fileId) {
        Map<String, Object> h = line.getHeaders();
        Long offset = take(h, TailConstants.OFFSET, Long.class, exchange);
        return new Envelope(line.getBody(String.class), path, offset == null ? -1L : offset, host, dataset, created,
                service, source, format, fileId, Boolean.TRUE.equals(take(h, TailConstants.TRUNCATED, Boolean.class, exchange)));
    }

    private static <T> T take(Map<String, Object> headers, String name, Class<T> type, Exchange exchange) {
        Object v = headers.remove(name);
        if (v == null || type.isInstance(v)) {
            return type.cast(v);
        }
        return exchange.getContext().getTypeConverter().convertTo(type, exchange, v);
    }
}
