package caravan.index;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The Kafka headers on a dead letter ({@code logs-dlq}, {@code logs-dlq-parked}). Values are UTF-8
 * text, so {@code kcat -f '%h'} shows them as they are. The record's value is the original
 * envelope, byte for byte, and its key the original key.
 *
 * <p>Two of them also travel on {@code logs-raw}: {@code caravan replay} sets
 * {@link #REPLAY_COUNT} and {@link #FIRST_FAILURE} on what it sends back, and the index route
 * carries them into the next dead letter if the record fails again.
 */
public final class DlqHeaders {
    /** Why: Elasticsearch's error type and reason, the parser's message, or the exception's. */
    public static final String REASON = "caravan.dlq.reason";
    /** Where: envelope, parse, render, oversize, index, or the id of the route step that threw. */
    public static final String STAGE = "caravan.dlq.stage";
    /** The exception class, or Elasticsearch's error type for a rejected document. */
    public static final String EXCEPTION = "caravan.dlq.exception";
    /** Elasticsearch's item status for a rejected document (e.g. 400); absent for other stages. */
    public static final String STATUS = "caravan.dlq.status";
    /** The topic, partition and offset the failed record was read from. */
    public static final String TOPIC = "caravan.dlq.topic";
    public static final String PARTITION = "caravan.dlq.partition";
    public static final String OFFSET = "caravan.dlq.offset";
    /** The envelope's {@code caravan.source} and {@code event.dataset}, when it could be read. */
    public static final String SOURCE = "caravan.dlq.source";
    public static final String DATASET = "caravan.dlq.dataset";
    /** ISO-8601 time of this failure, and of the first failure of the same record before any replay. */
    public static final String FAILED_AT = "caravan.dlq.failed_at";
    public static final String FIRST_FAILURE = "caravan.dlq.first_failure";
    /** How many times {@code caravan replay} has sent the record back to {@code logs-raw}. */
    public static final String REPLAY_COUNT = "caravan.dlq.replay_count";
    /** Where the record first sat on {@code logs-raw} ("topic/partition@offset"): its id survives replays. */
    public static final String FIRST_POSITION = "caravan.dlq.first_position";
    /** On {@code logs-dlq-parked} only: when replay gave up on the record. */
    public static final String PARKED_AT = "caravan.dlq.parked_at";

    private DlqHeaders() {
    }

    /** The headers of a dead letter, in a fixed order. */
    public static Headers build(DeadLetter d) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(REASON, d.reason());
        m.put(STAGE, d.stage());
        m.put(EXCEPTION, d.exception());
        if (d.status() > 0) {
            m.put(STATUS, Integer.toString(d.status()));
        }
        RecordOrigin o = d.origin();
        m.put(TOPIC, o.topic());
        m.put(PARTITION, Integer.toString(o.partition()));
        m.put(OFFSET, Long.toString(o.offset()));
        m.put(SOURCE, d.source());
        m.put(DATASET, d.dataset());
        m.put(FAILED_AT, d.failedAt());
        m.put(FIRST_FAILURE, o.firstFailure() != null ? o.firstFailure() : d.failedAt());
        m.put(REPLAY_COUNT, Integer.toString(o.replayCount()));
        m.put(FIRST_POSITION, o.idPosition());
        RecordHeaders h = new RecordHeaders();
        m.forEach((k, v) -> {
            if (v != null) {
                h.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8)));
            }
        });
        return h;
    }

    /** All Caravan DLQ headers of a record, as text. */
    public static Map<String, String> read(Headers headers) {
        Map<String, String> m = new LinkedHashMap<>();
        if (headers != null) {
            for (Header h : headers) {
                if (h.key().startsWith("caravan.dlq.") && h.value() != null) {
                    m.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return m;
    }

    /** The replay count a record carries; 0 when absent or unreadable (a fresh record). */
    public static int replayCount(Headers headers) {
        String v = RecordOrigin.text(headers, REPLAY_COUNT);
        if (v == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static RecordHeader header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
