package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.event.DocumentIds;
import caravan.event.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Issue 12: an indexer adopted by a team that already runs Filebeat or Vector. */
class OtherShippersTest {
    private static final String LINE = "83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /a HTTP/1.1\" 200 7 \"-\" \"x\"";
    /**
     * One event as Filebeat's kafka output writes it with its default JSON codec: the beat's
     * {@code @metadata}, {@code agent}, {@code ecs}, {@code input}, {@code log} and {@code host}
     * objects around the {@code message}, and the input's custom {@code fields}.
     */
    private static final String FILEBEAT = "{\"@timestamp\":\"2026-11-24T10:05:03.123Z\","
            + "\"@metadata\":{\"beat\":\"filebeat\",\"type\":\"_doc\",\"version\":\"8.15.0\"},"
            + "\"log\":{\"offset\":1024,\"file\":{\"path\":\"/var/log/apache2/access.log\"}},"
            + "\"message\":" + json(LINE) + ","
            + "\"input\":{\"type\":\"filestream\"},"
            + "\"fields\":{\"dataset\":\"apache.access\"},"
            + "\"ecs\":{\"version\":\"8.0.0\"},"
            + "\"host\":{\"name\":\"web-1\"},"
            + "\"agent\":{\"type\":\"filebeat\",\"version\":\"8.15.0\",\"ephemeral_id\":\"e1\",\"id\":\"a1\",\"name\":\"web-1\"}}";
    /** Vector's file source through its kafka sink with the json codec. */
    private static final String VECTOR = "{\"file\":\"/var/log/nginx/error.log\",\"host\":\"web-2\","
            + "\"message\":\"2016/10/25 14:49:34 [error] 54053#0: *1 open() failed, client: 127.0.0.1\","
            + "\"source_type\":\"file\",\"timestamp\":\"2026-11-24T10:05:03.5Z\"}";

    private final TopicFormats topics = TopicFormats.parse("filebeat:combined, vector:nginx_error, plain:combined, app:json");

    @Test
    void filebeatsKafkaJsonIsAnEnvelope() {
        Envelope e = topics.envelope("filebeat", FILEBEAT.getBytes(StandardCharsets.UTF_8));
        assertThat(e.message()).isEqualTo(LINE);
        assertThat(e.path()).isEqualTo("/var/log/apache2/access.log");
        assertThat(e.offset()).isEqualTo(1024);
        assertThat(e.host()).isEqualTo("web-1");
        assertThat(e.dataset()).isEqualTo("apache.access");
        assertThat(e.format()).isEqualTo("combined");
        assertThat(e.created()).isEqualTo("2026-11-24T10:05:03.123Z");
        // Its id is its file position: the same line shipped twice by Filebeat is one document.
        assertThat(RenderProcessor.id(e, new RecordOrigin("filebeat", 0, 5, null, null, 0, null)))
                .isEqualTo(DocumentIds.of("web-1", "/var/log/apache2/access.log", 1024));
    }

    @Test
    void vectorsKafkaJsonIsAnEnvelopeWithAKafkaPositionId() {
        Envelope e = topics.envelope("vector", VECTOR.getBytes(StandardCharsets.UTF_8));
        assertThat(e.host()).isEqualTo("web-2");
        assertThat(e.path()).isEqualTo("/var/log/nginx/error.log");
        assertThat(e.format()).isEqualTo("nginx_error");
        assertThat(e.offset()).isEqualTo(-1);
        assertThat(RenderProcessor.id(e, new RecordOrigin("vector", 2, 9, null, null, 0, null)))
                .isEqualTo(DocumentIds.ofRecord("vector/2@9"));
    }

    @Test
    void aFormatTheRecordNamesWinsOverItsTopics() {
        String named = FILEBEAT.replace("\"dataset\":\"apache.access\"", "\"format\":\"common\"");
        assertThat(topics.envelope("filebeat", named.getBytes(StandardCharsets.UTF_8)).format()).isEqualTo("common");
    }

    @Test
    void plainLinesAndJsonTopics() {
        Envelope plain = topics.envelope("plain", LINE.getBytes(StandardCharsets.UTF_8));
        assertThat(plain.message()).isEqualTo(LINE);
        assertThat(plain.format()).isEqualTo("combined");
        assertThat(plain.source()).isEqualTo("plain");
        String app = "{\"level\":\"info\",\"msg\":\"hi\"}";
        assertThat(topics.envelope("app", app.getBytes(StandardCharsets.UTF_8))).satisfies(e -> {
            assertThat(e.message()).isEqualTo(app);
            assertThat(e.format()).isEqualTo("json");
        });
        // logs-raw has no format of its own: a plain line there is still not an envelope.
        assertThatThrownBy(() -> topics.envelope("logs-raw", LINE.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theIndexStageParsesFilebeatRecords() {
        DefaultCamelContext ctx = new DefaultCamelContext();
        Exchange batch = new DefaultExchange(ctx);
        Exchange rec = new DefaultExchange(ctx);
        rec.getMessage().setHeader(KafkaConstants.TOPIC, "filebeat");
        rec.getMessage().setHeader(KafkaConstants.PARTITION, 0);
        rec.getMessage().setHeader(KafkaConstants.OFFSET, 0L);
        rec.getMessage().setBody(FILEBEAT.getBytes(StandardCharsets.UTF_8));
        batch.getMessage().setBody(List.of(rec));
        new ParseBatchProcessor(topics).process(batch);
        IndexBatch b = batch.getMessage().getBody(IndexBatch.class);
        assertThat(b.failures()).isEmpty();
        assertThat(b.items()).singleElement().satisfies(i -> {
            assertThat(i.dataset()).isEqualTo("apache.access");
            assertThat(i.event().sourceIp).isEqualTo("83.149.9.216");
        });
    }

    @Test
    void aBadTopicsSettingNamesTheKey() {
        assertThatThrownBy(() -> TopicFormats.parse("filebeat")).hasMessageContaining("caravan.index.topics");
        assertThatThrownBy(() -> TopicFormats.parse("bad topic:combined")).hasMessageContaining("topic:format");
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
