package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetCommitterTest {
    private final DefaultCamelContext ctx = new DefaultCamelContext();

    @Test
    void commitsTheOffsetAfterTheHighestRecordOfEachPartition() {
        List<Exchange> batch = List.of(rec("raw", 0, 10), rec("raw", 1, 5), rec("raw", 0, 11), rec("raw", 0, 12),
                rec("raw", 1, 6), rec("other", 0, 99), rec(null, 0, 1), rec("raw", -1, 3));
        assertThat(OffsetCommitter.offsets(batch)).containsOnly(
                Map.entry(new TopicPartition("raw", 0), new OffsetAndMetadata(13)),
                Map.entry(new TopicPartition("raw", 1), new OffsetAndMetadata(7)),
                Map.entry(new TopicPartition("other", 0), new OffsetAndMetadata(100)));
        assertThat(OffsetCommitter.offsets(null)).isEmpty();
    }

    private Exchange rec(String topic, int partition, long offset) {
        Exchange e = new DefaultExchange(ctx);
        if (topic != null) {
            e.getMessage().setHeader(KafkaConstants.TOPIC, topic);
        }
        e.getMessage().setHeader(KafkaConstants.PARTITION, partition);
        e.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        e.getMessage().setBody(new byte[0]);
        return e;
    }
}
