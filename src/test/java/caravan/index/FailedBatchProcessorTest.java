package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Which records a batch that failed in a route step sends to the dead-letter topic. */
class FailedBatchProcessorTest {
    private final DefaultCamelContext ctx = new DefaultCamelContext();

    @Test
    void aBatchThatFailedBeforeParsingDeadLettersTheRecordsAsPolled() {
        List<Exchange> polled = List.of(record(7, "{\"message\":\"a\"}"), record(8, "not json"));
        Exchange failed = exchange(polled);
        failed.setProperty(IndexRoute.RECORDS, polled);

        assertThat(FailedBatchProcessor.toDeadLetter(failed)).extracting(RecordOrigin::offset).containsExactly(7L, 8L);
        assertThat(FailedBatchProcessor.toDeadLetter(exchange(polled))).as("without the property, the body")
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("{\"message\":\"a\"}", "not json");
    }

    /** A record of several lines is dead-lettered line by line, so that each replays alone; a batch's chunk as it is. */
    @Test
    void aRecordOfSeveralLinesIsDeadLetteredLineByLine() {
        Exchange group = record(9, "{\"message\":\"a\"}\n{\"message\":\"b\"}");
        org.apache.kafka.common.header.internals.RecordHeaders h = new org.apache.kafka.common.header.internals.RecordHeaders();
        h.add(caravan.event.Envelope.LINES_HEADER, "2".getBytes(StandardCharsets.UTF_8));
        group.getMessage().setHeader(KafkaConstants.HEADERS, h);
        Exchange failed = exchange(List.of(group));
        failed.setProperty(IndexRoute.RECORDS, List.of(record(7, "{\"message\":\"c\"}"), group));

        assertThat(FailedBatchProcessor.toDeadLetter(failed))
                .extracting(RecordOrigin::offset, r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(7L, "{\"message\":\"c\"}"),
                        org.assertj.core.groups.Tuple.tuple(9L, "{\"message\":\"a\"}"),
                        org.assertj.core.groups.Tuple.tuple(9L, "{\"message\":\"b\"}"));

        List<RecordOrigin> chunk = List.of(RecordOrigin.of(group).line(1, "{\"message\":\"b\"}".getBytes(StandardCharsets.UTF_8)));
        Exchange inBatch = exchange(chunk);
        inBatch.setProperty(IndexRoute.RECORDS, chunk);
        assertThat(FailedBatchProcessor.toDeadLetter(inBatch)).containsExactlyElementsOf(chunk);
    }

    /**
     * When the window is full an exchange goes on with the oldest batch as its body, while its property still names
     * its own poll: the records dead-lettered are the failed batch's, with their bytes unchanged.
     */
    @Test
    void aParsedBatchDeadLettersItsOwnRecordsNotTheExchangesPoll() {
        List<Exchange> older = List.of(record(1, "{\"message\":\"x\"}"), record(2, "{\"message\":\"y\"}"));
        Exchange parsed = exchange(older);
        new ParseBatchProcessor().process(parsed);
        IndexBatch batch = parsed.getMessage().getBody(IndexBatch.class);

        Exchange carrier = exchange(batch);
        carrier.setProperty(IndexRoute.RECORDS, List.of(record(40, "{\"message\":\"newer\"}")));

        List<RecordOrigin> letters = FailedBatchProcessor.toDeadLetter(carrier);
        assertThat(letters).extracting(RecordOrigin::offset).containsExactly(1L, 2L);
        assertThat(letters.get(1).value()).isEqualTo(older.get(1).getMessage().getBody(byte[].class));
        assertThat(letters).allSatisfy(r -> assertThat(r.topic()).isEqualTo("logs-raw"));
    }

    /** As the batching Kafka consumer hands a record over. */
    private Exchange record(long offset, String value) {
        Exchange e = new DefaultExchange(ctx);
        e.getMessage().setHeader(KafkaConstants.TOPIC, "logs-raw");
        e.getMessage().setHeader(KafkaConstants.PARTITION, 0);
        e.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        e.getMessage().setBody(value.getBytes(StandardCharsets.UTF_8));
        return e;
    }

    private Exchange exchange(Object body) {
        Exchange e = new DefaultExchange(ctx);
        e.getMessage().setBody(body);
        return e;
    }
}
