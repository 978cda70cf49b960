package caravan.ship;

import caravan.common.KafkaAcks;
import caravan.ship.tail.LineAcknowledgement;
import java.util.List;
import org.apache.camel.Message;

/**
 * Which lines of a failed batch Kafka took anyway: a line is on Kafka when the record that carries
 * it is ({@link KafkaAcks}). {@link EnvelopeProcessor} sets one on each batch it turns into
 * records, as the {@link caravan.ship.tail.TailConstants#LINE_ACKNOWLEDGEMENT} property; the tail
 * component asks about each line in order, so the search starts after the line asked before.
 */
final class RecordAcks implements LineAcknowledgement {
    private final List<?> lines;
    /** The index in {@link #records} of the record each line went in. */
    private final int[] recordOf;
    private final List<Message> records;
    private int next;

    RecordAcks(List<?> lines, int[] recordOf, List<Message> records) {
        this.lines = lines;
        this.recordOf = recordOf;
        this.records = records;
    }

    @Override
    public synchronized boolean acknowledged(Message line) {
        int n = lines.size();
        for (int k = 0; k < n; k++) {
            int i = (next + k) % n;
            if (lines.get(i) == line) {
                next = i + 1;
                return KafkaAcks.acknowledged(records.get(recordOf[i]));
            }
        }
        return false; // not a line of this batch: nothing says Kafka has it
    }
}
