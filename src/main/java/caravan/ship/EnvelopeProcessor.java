package caravan.ship;

import caravan.event.Envelope;
import caravan.event.Timestamps;
import caravan.ship.tail.TailConstants;
import caravan.ship.tail.TailLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Wraps a line from a source endpoint into the {@link Envelope} and sets the Kafka key.
 *
 * <p>The dataset defaults to the one the source's format parses into, so that the envelope alone
 * says which daily index its document belongs to.
 *
 * <p>A batch (a List body of Messages, one per line of one file: tail:'s maxBatchLines) has the
 * file's headers on the exchange and each line's offset and truncation on its element. Its lines
 * become a List of Kafka records, each with up to {@code linesPerRecord} envelopes (the batch gets a
 * {@link RecordAcks} as its {@link TailConstants#LINE_ACKNOWLEDGEMENT}): a record costs
 * the producer, the broker and the indexer about as much whatever its size, so several lines to a
 * record ship at nearly twice the lines per second, at half the CPU per line (BENCHMARKS.md,
 * "Several lines to a record").
 */
public final class EnvelopeProcessor implements Processor {
    /**
     * Header a source route sets to name its record's document id itself (e.g. an id the record
     * carries); without it, a record with no file position gets the id of its place on logs-raw.
     */
    public static final String DOCUMENT_ID = "CaravanDocumentId";
    /** Exchange property: the lines of a batch (a single line sets none), whatever records they went in. */
    public static final String LINES = "CaravanShipLines";
    /** What an envelope adds to its line, about: the file's fields and the names. */
    private static final int ENVELOPE_BYTES = 400;
    private final Function<String, String> datasetOfFormat;
    private final int linesPerRecord;
    private final long maxRecordBytes;
    private final boolean fileFieldsOnce;

    /** One envelope per record. */
    public EnvelopeProcessor(Function<String, String> datasetOfFormat) {
        this(datasetOfFormat, 1, Long.MAX_VALUE, false);
    }

    /**
     * @param datasetOfFormat the dataset a format parses into (the parse stage knows; ship does not)
     * @param linesPerRecord  most lines of a batch in one Kafka record ({@code caravan.ship.kafka.lines-per-record})
     * @param maxRecordBytes  a record takes no further line past about this size ({@code caravan.ship.kafka.max-record-bytes})
     * @param fileFieldsOnce  a record of several lines carries its file's fields once, in {@link Envelope#FILE_HEADER}
     *                        ({@code caravan.ship.kafka.file-fields-once}), not in every line's envelope
     */
    public EnvelopeProcessor(Function<String, String> datasetOfFormat, int linesPerRecord, long maxRecordBytes,
                             boolean fileFieldsOnce) {
        this.datasetOfFormat = datasetOfFormat;
        this.linesPerRecord = Math.max(1, linesPerRecord);
        this.maxRecordBytes = maxRecordBytes;
        this.fileFieldsOnce = fileFieldsOnce;
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
            List<Envelope> envelopes = new ArrayList<>(lines.size());
            for (Object o : lines) {
                if (!(o instanceof Message line)) {
                    throw new IllegalArgumentException("a batch of lines must be a List of Messages, found "
                            + (o == null ? "null" : o.getClass().getName()));
                }
                envelopes.add(envelope(line, exchange, path, host, dataset, created, service, source, format, fileId));
            }
            in.setBody(records(lines, envelopes, exchange));
            exchange.setProperty(LINES, lines.size());
            return;
        }
        Envelope envelope = envelope(in, exchange, path, host, dataset, created, service, source, format, fileId);
        in.setHeader(KafkaConstants.KEY, envelope.key());
        in.setBody(envelope.toJson());
    }

    /**
     * The Kafka records of a batch, in line order: runs of up to {@code linesPerRecord} lines, one
     * envelope per line of the record's value, with {@link Envelope#LINES_HEADER}. A line without a
     * file position goes alone: its document id is its record's place on {@code logs-raw}. Each
     * line's record is noted for the batch's {@link RecordAcks}: Kafka's answer lands on the record.
     */
    private List<Message> records(List<?> lines, List<Envelope> envelopes, Exchange exchange) {
        int[] recordOf = new int[lines.size()];
        List<Message> records = new ArrayList<>(linesPerRecord > 1 ? lines.size() / linesPerRecord + 1 : lines.size());
        String key = envelopes.isEmpty() ? null : envelopes.get(0).key();
        int from = 0;
        while (from < envelopes.size()) {
            int to = from + 1;
            long bytes = weight(envelopes.get(from));
            if (envelopes.get(from).offset() >= 0) {
                while (to < envelopes.size() && to - from < linesPerRecord && envelopes.get(to).offset() >= 0
                        && bytes + weight(envelopes.get(to)) <= maxRecordBytes) {
                    bytes += weight(envelopes.get(to++));
                }
            }
            Message record = new DefaultMessage(exchange);
            record.setHeader(KafkaConstants.KEY, key);
            if (to - from > 1) {
                record.setHeader(Envelope.LINES_HEADER, Integer.toString(to - from));
            }
            if (to - from > 1 && fileFieldsOnce && noIds(envelopes, from, to)) {
                record.setHeader(Envelope.FILE_HEADER, Envelope.fileFieldsJson(envelopes.get(from)));
                record.setBody(Envelope.toShortLines(envelopes, from, to));
            } else {
                record.setBody(Envelope.toJsonLines(envelopes, from, to)); // one envelope: its own JSON
            }
            java.util.Arrays.fill(recordOf, from, to, records.size());
            records.add(record);
            from = to;
        }
        exchange.setProperty(TailConstants.LINE_ACKNOWLEDGEMENT, new RecordAcks(lines, recordOf, records));
        return records;
    }

    /** A batch's lines share their file's fields; a line that names its own document id goes whole. */
    private static boolean noIds(List<Envelope> envelopes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (envelopes.get(i).id() != null) {
                return false;
            }
        }
        return true;
    }

    /** About what a line's envelope weighs: its text and the file's fields. */
    private static long weight(Envelope e) {
        String m = e.message();
        return (m == null ? 0 : m.length()) + ENVELOPE_BYTES;
    }

    /** The envelope of one line: its body, offset and truncation, and the file's fields. */
    private static Envelope envelope(Message line, Exchange exchange, String path, String host, String dataset,
                                     String created, String service, String source, String format, String fileId) {
        long offset;
        boolean truncated;
        String id = null;
        if (line instanceof TailLine t && t.headersUnread()) { // tail:'s own line: no header map to make
            offset = t.offset();
            truncated = t.truncated();
        } else {
            Map<String, Object> h = line.getHeaders();
            Long at = take(h, TailConstants.OFFSET, Long.class, exchange);
            offset = at == null ? -1L : at;
            id = take(h, DOCUMENT_ID, String.class, exchange);
            truncated = Boolean.TRUE.equals(take(h, TailConstants.TRUNCATED, Boolean.class, exchange));
        }
        return new Envelope(line.getBody(String.class), path, offset, host, dataset, created, service, source, format,
                fileId, truncated, id);
    }

    private static <T> T take(Map<String, Object> headers, String name, Class<T> type, Exchange exchange) {
        Object v = headers.remove(name);
        if (v == null || type.isInstance(v)) {
            return type.cast(v);
        }
        return exchange.getContext().getTypeConverter().convertTo(type, exchange, v);
    }
}
