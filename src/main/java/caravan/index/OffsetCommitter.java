package caravan.index;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * Commits the batch's Kafka offsets once every record in it is indexed or dead-lettered: per
 * partition, the last record's offset + 1. Runs on the consumer thread, so the commit is in the
 * consumer's own order.
 */
public final class OffsetCommitter implements Processor {

    @Override
    public void process(Exchange exchange) {
        List<?> records = exchange.getProperty(IndexRoute.RECORDS, List.class);
        Map<Integer, KafkaManualCommit> lastPerPartition = new LinkedHashMap<>();
        for (Object o : records) {
            Exchange rec = (Exchange) o;
            KafkaManualCommit commit = rec.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            Integer partition = rec.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
            if (commit != null && partition != null) {
                lastPerPartition.put(partition, commit);
            }
        }
        lastPerPartition.values().forEach(KafkaManualCommit::commit);
    }
}
