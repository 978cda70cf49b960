package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The origin {@link RecordOrigin#of} reads from a record exchange is what the Kafka component put there. */
class RecordOriginTest {
    private final DefaultCamelContext ctx = new DefaultCamelContext();

    /** A record exchange as the batching consumer hands it over, with the headers it sets. */
    private Exchange record(Object key, RecordHeaders kafkaHeaders) {
        Exchange e = new DefaultExchange(ctx);
        var m = e.getMessage();
        m.setHeader(KafkaConstants.PARTITION, 3);
        m.setHeader(KafkaConstants.TOPIC, "logs-raw");
        m.setHeader(KafkaConstants.OFFSET, 12_345_678_901L);
        m.setHeader(KafkaConstants.TIMESTAMP, 1_700_000_000_000L);
        if (key != null) {
            m.setHeader(KafkaConstants.KEY, key);
        }
        if (kafkaHeaders != null) {
            m.setHeader(KafkaConstants.HEADERS, kafkaHeaders);
        }
        m.setHeader("caravan.dlq.reason", "a header of the record's own, copied by the component");
        m.setBody("GET / HTTP/1.1".getBytes(StandardCharsets.UTF_8));
        return e;
    }

    @Test
    void aFreshRecordsOrigin() {
        RecordOrigin o = RecordOrigin.of(record("web-1|/var/log/app.log", new RecordHeaders()));
        assertThat(o.topic()).isEqualTo("logs-raw");
        assertThat(o.partition()).isEqualTo(3);
        assertThat(o.offset()).isEqualTo(12_345_678_901L);
        assertThat(o.key()).isEqualTo("web-1|/var/log/app.log");
        assertThat(new String(o.value(), StandardCharsets.UTF_8)).isEqualTo("GET / HTTP/1.1");
        assertThat(o.replayCount()).isZero();
        assertThat(o.firstFailure()).isNull();
        assertThat(o.idPosition()).isEqualTo("logs-raw/3@12345678901");
        assertThat(o.idTopic()).isEqualTo("logs-raw");
    }

    @Test
    void aReplayedRecordKeepsWhereItFirstSat() {
        RecordHeaders h = new RecordHeaders();
        h.add(DlqHeaders.REPLAY_COUNT, "2".getBytes(StandardCharsets.UTF_8));
        h.add(DlqHeaders.FIRST_FAILURE, "2026-12-05T01:00:00Z".getBytes(StandardCharsets.UTF_8));
        h.add(DlqHeaders.FIRST_POSITION, "logs-raw/1@7".getBytes(StandardCharsets.UTF_8));
        RecordOrigin o = RecordOrigin.of(record(42, h));
        assertThat(o.key()).isEqualTo("42");
        assertThat(o.replayCount()).isEqualTo(2);
        assertThat(o.firstFailure()).isEqualTo("2026-12-05T01:00:00Z");
        assertThat(o.idPosition()).isEqualTo("logs-raw/1@7");
        assertThat(o.idTopic()).isEqualTo("logs-raw");
    }

    @Test
    void withoutKafkaHeadersOrKeyThePositionIsUnknownWhereMissing() {
        Exchange e = new DefaultExchange(ctx);
        e.getMessage().setBody(new byte[0]);
        RecordOrigin o = RecordOrigin.of(e);
        assertThat(o.topic()).isNull();
        assertThat(o.partition()).isEqualTo(-1);
        assertThat(o.offset()).isEqualTo(-1);
        assertThat(o.key()).isNull();
        assertThat(o.replayCount()).isZero();
    }
}
