package caravan.index;

import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Where a {@code logs-raw} record came from, carried with it through the index route so that a
 * failure can be dead-lettered with its original bytes and position.
 *
 * @param topic        source topic
 * @param partition    source partition, -1 if unknown
 * @param offset       source offset, -1 if unknown
 * @param key          the record key (host and file), kept so a replay lands on the same partition
 * @param value        the record value, unchanged: what the DLQ and a replay carry
 * @param replayCount  how many times {@code caravan replay} has sent this record back (0 for a fresh one)
 * @param firstFailure ISO-8601 time of the record's first failure, if it has been replayed; else null
 * @param firstPosition "topic/partition@offset" where a replayed record first sat on {@code logs-raw}; else null
 * @param line         for one envelope of a record of several ({@link caravan.event.Envelope#LINES_HEADER}), its
 *                     line in the record from 0, whose bytes {@code value} then holds; -1 for a whole record
 * @param problem      why this line could not be made a whole envelope (its record's
 *                     {@link caravan.event.Envelope#FILE_HEADER} or the line is not in the shipper's layout), or null
 */
public record RecordOrigin(String topic, int partition, long offset, String key, byte[] value, int replayCount,
                           String firstFailure, String firstPosition, int line, String problem) {

    public RecordOrigin(String topic, int partition, long offset, String key, byte[] value, int replayCount,
                        String firstFailure, String firstPosition, int line) {
        this(topic, partition, offset, key, value, replayCount, firstFailure, firstPosition, line, null);
    }

    public RecordOrigin(String topic, int partition, long offset, String key, byte[] value, int replayCount,
                        String firstFailure, String firstPosition) {
        this(topic, partition, offset, key, value, replayCount, firstFailure, firstPosition, -1);
    }

    public RecordOrigin(String topic, int partition, long offset, String key, byte[] value, int replayCount,
                        String firstFailure) {
        this(topic, partition, offset, key, value, replayCount, firstFailure, null);
    }

    /** Line {@code k} of this record, whose envelope is {@code bytes}. */
    public RecordOrigin line(int k, byte[] bytes) {
        return new RecordOrigin(topic, partition, offset, key, bytes, replayCount, firstFailure, firstPosition, k, null);
    }

    /** Line {@code k} of this record, its {@code bytes} as they came, which could not be made an envelope: {@code problem} says why. */
    public RecordOrigin unreadableLine(int k, byte[] bytes, String problem) {
        return new RecordOrigin(topic, partition, offset, key, bytes, replayCount, firstFailure, firstPosition, k, problem);
    }

    /** Whether this is the same Kafka record as {@code other} (another line of it, or itself). */
    public boolean sameRecord(RecordOrigin other) {
        return offset == other.offset && partition == other.partition && java.util.Objects.equals(topic, other.topic);
    }

    /** Reads the origin from one record exchange of a batching Kafka consumer. */
    public static RecordOrigin of(Exchange rec) {
        var m = rec.getMessage();
        Headers headers = m.getHeader(KafkaConstants.HEADERS, Headers.class);
        Object key = m.getHeader(KafkaConstants.KEY);
        return new RecordOrigin(m.getHeader(KafkaConstants.TOPIC, String.class),
                m.getHeader(KafkaConstants.PARTITION, -1, Integer.class),
                m.getHeader(KafkaConstants.OFFSET, -1L, Long.class),
                key == null ? null : key.toString(),
                m.getBody(byte[].class),
                DlqHeaders.replayCount(headers),
                text(headers, DlqHeaders.FIRST_FAILURE),
                text(headers, DlqHeaders.FIRST_POSITION));
    }

    /** The last value of a Kafka record header as text, or null. */
    public static String text(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * The position a document id can be made of: where the record first sat, so a replay of it
     * (which lands at a new offset) still gets the id of its first delivery.
     */
    public String idPosition() {
        String record = firstPosition != null ? firstPosition : position();
        return line < 0 ? record : record + "#" + line;
    }

    /** The topic of {@link #idPosition()}: where a replayed record came from first, whose format it has. */
    public String idTopic() {
        if (firstPosition == null && topic != null) {
            return topic; // what the position below gives (its last '/' is the one after the topic), without building it
        }
        String p = idPosition();
        int slash = p.lastIndexOf('/');
        return slash < 0 ? topic : p.substring(0, slash);
    }

    /** Whether the record has a place in Kafka (topic, partition and offset), so its offset can be tracked and committed. */
    public boolean inKafka() {
        return topic != null && partition >= 0 && offset >= 0;
    }

    /** "topic/partition@offset" of the record, for logs. */
    public String position() {
        return topic + "/" + partition + "@" + offset;
    }
}
