package caravan.common;

import java.util.List;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What the camel kafka producer tells about each record of a batch it sent. */
public final class KafkaAcks {
    private KafkaAcks() {
    }

    /**
     * Did Kafka acknowledge this element of a batch? With {@code recordMetadata=true} camel-kafka puts
     * each record's metadata on the element it was sent from as the broker answers, with an offset
     * only for a record the broker stored. An error, no answer yet, or an element that never reached
     * the producer answers false.
     */
    public static boolean acknowledged(Message element) {
        return element.getHeader(KafkaConstants.KAFKA_RECORD_META) instanceof List<?> meta && meta.size() == 1
                && meta.get(0) instanceof RecordMetadata m && m.hasOffset();
    }
}
