package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ParseBatchProcessorTest {
    private static final String GOOD = "83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /a HTTP/1.1\" 200 7 \"-\" \"x\"";
    private final DefaultCamelContext ctx = new DefaultCamelContext();

    @Test
    void everyRecordBecomesAnEventOrAFailureWithItsOriginalBytes() {
        byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
        byte[] badLine = envelope("garbage line", "combined");
        byte[] badFormat = envelope(GOOD, "no-such-format");
        Exchange batch = batch(rec(0, envelope(GOOD, "combined"), null), rec(1, notJson, null), rec(2, badLine, "2"),
                rec(3, badFormat, null), rec(4, null, null));
        new ParseBatchProcessor().process(batch);

        IndexBatch b = batch.getMessage().getBody(IndexBatch.class);
        assertThat(b.items()).singleElement().satisfies(i -> assertThat(i.offset()).isZero());
        assertThat(b.failures()).extracting(IndexBatch.Failure::stage, IndexBatch.Failure::offset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("envelope", 1L), org.assertj.core.groups.Tuple.tuple("parse", 2L),
                        org.assertj.core.groups.Tuple.tuple("parse", 3L), org.assertj.core.groups.Tuple.tuple("envelope", 4L));
        assertThat(b.failures().get(0).envelope()).isEqualTo(notJson);
        assertThat(b.failures().get(1).envelope()).isEqualTo(badLine);
        assertThat(b.failures().get(1).reason()).startsWith("line does not match format 'combined'");
        assertThat(b.failures().get(1).exception()).isEqualTo("caravan.parse.ParseException");
        assertThat(b.failures().get(1).source()).isEqualTo("src");
        assertThat(b.failures().get(1).origin().replayCount()).isEqualTo(2);
        assertThat(b.failures().get(1).origin().firstFailure()).isEqualTo("2026-11-20T00:00:00Z");
        assertThat(b.failures().get(2).reason()).contains("no-such-format").contains("unknown format");
    }

    @Test
    void eachLineOfARecordOfSeveralIsAnEventOrAFailureOfItsOwn() {
        List<Envelope> lines = List.of(
                new Envelope(GOOD, "/a.log", 0, "h", "apache.access", "2026-11-24T00:00:00Z", null, "src", "combined", "f"),
                new Envelope("garbage line", "/a.log", 90, "h", "apache.access", "2026-11-24T00:00:00Z", null, "src", "combined", "f"),
                new Envelope(GOOD, "/a.log", 180, "h", "apache.access", "2026-11-24T00:00:00Z", null, "src", "combined", "f"));
        Exchange group = rec(7, Envelope.toJsonLines(lines, 0, 3), null);
        RecordHeaders h = new RecordHeaders();
        h.add(Envelope.LINES_HEADER, "3".getBytes(StandardCharsets.UTF_8));
        group.getMessage().setHeader(KafkaConstants.HEADERS, h);
        Exchange batch = batch(rec(6, envelope(GOOD, "combined"), null), group);
        new ParseBatchProcessor().process(batch);

        IndexBatch b = batch.getMessage().getBody(IndexBatch.class);
        assertThat(b.items()).extracting(i -> i.envelope().offset()).containsExactly(0L, 0L, 180L);
        assertThat(b.items()).extracting(IndexBatch.Item::offset).containsExactly(6L, 7L, 7L);
        assertThat(b.failures()).singleElement().satisfies(f -> {
            assertThat(f.offset()).isEqualTo(7L);
            assertThat(f.envelope()).isEqualTo(lines.get(1).toJson()); // the DLQ gets the one line, not the record
            assertThat(f.origin().line()).isEqualTo(1);
        });
        assertThat(b.origins()).hasSize(4);
    }

    @Test
    void aRecordWithTheFileHeaderParsesEachLineWithItsFileFieldsAndFailsADamagedOneWithTheReason() {
        List<Envelope> lines = List.of(
                new Envelope(GOOD, "/a.log", 0, "h", "apache.access", "2026-11-24T00:00:00Z", "web", "src", "combined", "f"),
                new Envelope(GOOD, "/a.log", 90, "h", "apache.access", "2026-11-24T00:00:00Z", "web", "src", "combined", "f"));
        String shortLines = new String(Envelope.toShortLines(lines, 0, 2), StandardCharsets.UTF_8);
        Exchange group = rec(7, (shortLines + "\n{\"message\":\"cut\"").getBytes(StandardCharsets.UTF_8), null);
        RecordHeaders h = new RecordHeaders();
        h.add(Envelope.LINES_HEADER, "3".getBytes(StandardCharsets.UTF_8));
        h.add(Envelope.FILE_HEADER, Envelope.fileFieldsJson(lines.get(0)));
        group.getMessage().setHeader(KafkaConstants.HEADERS, h);
        Exchange batch = batch(group);
        new ParseBatchProcessor().process(batch);

        IndexBatch b = batch.getMessage().getBody(IndexBatch.class);
        assertThat(b.items()).extracting(IndexBatch.Item::envelope).containsExactlyElementsOf(lines);
        assertThat(b.failures()).singleElement().satisfies(f -> {
            assertThat(f.stage()).isEqualTo("envelope");
            assertThat(f.reason()).contains("caravan.file header").contains("is not {\"message\"");
            assertThat(f.envelope()).isEqualTo("{\"message\":\"cut\"".getBytes(StandardCharsets.UTF_8));
            assertThat(f.origin().line()).isEqualTo(2);
        });
    }

    private Exchange batch(Exchange... records) {
        Exchange e = new DefaultExchange(ctx);
        e.getMessage().setBody(List.of(records));
        return e;
    }

    private Exchange rec(long offset, byte[] value, String replayCount) {
        Exchange e = new DefaultExchange(ctx);
        e.getMessage().setHeader(KafkaConstants.TOPIC, "raw");
        e.getMessage().setHeader(KafkaConstants.PARTITION, 0);
        e.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        if (replayCount != null) {
            RecordHeaders h = new RecordHeaders();
            h.add(DlqHeaders.header(DlqHeaders.REPLAY_COUNT, replayCount));
            h.add(DlqHeaders.header(DlqHeaders.FIRST_FAILURE, "2026-11-20T00:00:00Z"));
            e.getMessage().setHeader(KafkaConstants.HEADERS, h);
        }
        e.getMessage().setBody(value);
        return e;
    }

    private static byte[] envelope(String line, String format) {
        return new Envelope(line, "/a.log", 0, "h", "apache.access", "2026-11-24T00:00:00Z", null, "src", format, "f")
                .toJson();
    }
}
