package caravan.ship;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.Envelope;
import caravan.parse.Parsers;
import caravan.ship.tail.LineAcknowledgement;
import caravan.ship.tail.TailConstants;
import caravan.ship.tail.TailLine;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A line and a batch of lines become the same envelopes, with the same keys. */
class EnvelopeProcessorTest {
    private final CamelContext ctx = new DefaultCamelContext();

    private static void fileHeaders(Message m) {
        m.setHeader(TailConstants.FILE_PATH, "/var/log/app.log");
        m.setHeader(TailConstants.FILE_ID, "fe00-1-0123456789abcdef");
        m.setHeader(TailConstants.HOST, "web-1");
        m.setHeader(TailConstants.SOURCE, "apache-access");
        m.setHeader(TailConstants.FORMAT, "combined");
        m.setHeader(TailConstants.SERVICE, "web");
    }

    /** One line of a batch, as tail: makes it: its text, and its offset unless negative (a line without a position). */
    private Message line(String text, long offset) {
        Message line = new DefaultMessage(ctx);
        line.setBody(text);
        if (offset >= 0) {
            line.setHeader(TailConstants.OFFSET, offset);
        }
        return line;
    }

    @Test
    void aBatchBecomesOneEnvelopePerLineWithTheFilesKey() {
        Exchange batch = new DefaultExchange(ctx);
        fileHeaders(batch.getMessage());
        List<Message> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Message line = line("line " + i, 7L * i);
            if (i == 2) {
                line.setHeader(TailConstants.TRUNCATED, true);
            }
            lines.add(line);
        }
        batch.getMessage().setBody(lines);
        new EnvelopeProcessor(Parsers::datasetOf).process(batch);

        Exchange single = new DefaultExchange(ctx);
        fileHeaders(single.getMessage());
        single.getMessage().setBody("line 1");
        single.getMessage().setHeader(TailConstants.OFFSET, 7L);
        new EnvelopeProcessor(Parsers::datasetOf).process(single);

        List<?> records = batch.getMessage().getBody(List.class);
        assertThat(records).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Message line = (Message) records.get(i);
            Envelope e = Envelope.fromJson(line.getBody(byte[].class));
            assertThat(e.message()).isEqualTo("line " + i);
            assertThat(e.offset()).isEqualTo(7L * i);
            assertThat(e.truncated()).isEqualTo(i == 2);
            assertThat(e.path()).isEqualTo("/var/log/app.log");
            assertThat(e.dataset()).isEqualTo("apache.access");
            assertThat(e.source()).isEqualTo("apache-access");
            assertThat(line.getHeader(KafkaConstants.KEY)).isEqualTo("web-1:/var/log/app.log");
            assertThat(line.getBody(byte[].class)).isEqualTo(e.toJson());
            assertThat(line.getHeaders()).containsOnlyKeys(KafkaConstants.KEY);
        }
        Envelope one = Envelope.fromJson(single.getMessage().getBody(byte[].class));
        Envelope fromBatch = Envelope.fromJson(((Message) records.get(1)).getBody(byte[].class));
        assertThat(fromBatch).isEqualTo(new Envelope(one.message(), one.path(), one.offset(), one.host(), one.dataset(),
                fromBatch.created(), one.service(), one.source(), one.format(), one.fileId(), one.truncated()));
        assertThat(single.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo("web-1:/var/log/app.log");
        // the file's headers are in the envelopes: none is left to become a Kafka record header
        assertThat(batch.getMessage().getHeaders()).isEmpty();
        eachLineIsAcknowledgedByItsRecord(batch, lines, records, new int[][] {{0}, {1}, {2}});
    }

    /** tail:'s own lines carry their offset and truncation as fields: the same envelopes, and no header map made. */
    @Test
    void tailLinesBecomeTheSameEnvelopesAsLinesWithHeaders() {
        List<Message> withHeaders = new ArrayList<>();
        List<Message> tailLines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Message m = line("line " + i, 100L * i);
            if (i == 3) {
                m.setHeader(TailConstants.TRUNCATED, true);
            }
            withHeaders.add(m);
            tailLines.add(new TailLine(ctx, "line " + i, 100L * i, i == 3));
        }
        // a step that read a line's headers may have changed them: the envelope takes the headers then
        tailLines.get(1).setHeader(TailConstants.OFFSET, 150L);
        withHeaders.get(1).setHeader(TailConstants.OFFSET, 150L);
        List<Envelope> expected = envelopes(withHeaders);
        List<Envelope> got = envelopes(tailLines);
        assertThat(got).hasSize(4);
        for (int i = 0; i < 4; i++) {
            Envelope e = expected.get(i);
            assertThat(got.get(i)).isEqualTo(new Envelope(e.message(), e.path(), e.offset(), e.host(), e.dataset(),
                    got.get(i).created(), e.service(), e.source(), e.format(), e.fileId(), e.truncated()));
        }
        assertThat(got).extracting(Envelope::offset).containsExactly(0L, 150L, 200L, 300L);
        assertThat(got).extracting(Envelope::truncated).containsExactly(false, false, false, true);
        assertThat(((TailLine) tailLines.get(0)).headersUnread()).isTrue();
    }

    private List<Envelope> envelopes(List<Message> lines) {
        Exchange batch = new DefaultExchange(ctx);
        fileHeaders(batch.getMessage());
        batch.getMessage().setBody(lines);
        new EnvelopeProcessor(Parsers::datasetOf, 64, 1 << 20, false).process(batch);
        return Envelope.allFromJson(((Message) batch.getMessage().getBody(List.class).get(0)).getBody(byte[].class));
    }

    /**
     * Each record answered alone by Kafka in turn: the batch's acknowledgement says Kafka has exactly
     * the lines {@code runs} puts in that record.
     */
    private static void eachLineIsAcknowledgedByItsRecord(Exchange batch, List<Message> lines, List<?> records, int[][] runs) {
        LineAcknowledgement ack = batch.getProperty(TailConstants.LINE_ACKNOWLEDGEMENT, LineAcknowledgement.class);
        assertThat(ack).isNotNull();
        for (int r = 0; r < runs.length; r++) {
            for (int k = 0; k < records.size(); k++) {
                ((Message) records.get(k)).setHeader(KafkaConstants.KAFKA_RECORD_META, List.of(new RecordMetadata(
                        new TopicPartition("logs-raw", 0), k == r ? 5 : -1, 0, 0L, 0, 0)));
            }
            for (int i = 0; i < lines.size(); i++) {
                int line = i;
                assertThat(ack.acknowledged(lines.get(i))).as("line %d, record %d answered", i, r)
                        .isEqualTo(java.util.Arrays.stream(runs[r]).anyMatch(x -> x == line));
            }
        }
    }

    /**
     * With the file's fields once per record ({@code caravan.ship.kafka.file-fields-once}, the default)
     * or in every line's envelope, a batch's records hold the same envelopes.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aBatchGoesSeveralLinesToARecordAndALineWithoutAPositionAlone(boolean fileFieldsOnce) {
        Exchange batch = new DefaultExchange(ctx);
        fileHeaders(batch.getMessage());
        List<Message> lines = new ArrayList<>();
        long[] offsets = {0, 10, 20, 30, 40, -1, 60, 70};
        for (int i = 0; i < offsets.length; i++) {
            lines.add(line(i == 6 ? "a \"quoted\"\nline" : "line " + i, offsets[i]));
        }
        lines.get(4).setHeader(TailConstants.TRUNCATED, true);
        batch.getMessage().setBody(lines);
        new EnvelopeProcessor(Parsers::datasetOf, 3, 1 << 20, fileFieldsOnce).process(batch);

        List<?> records = batch.getMessage().getBody(List.class);
        // 0-2 (three at most), 3-4 (the next has no position), 5 alone, 6-7
        assertThat(records).hasSize(4);
        assertThat(batch.getProperty(EnvelopeProcessor.LINES)).isEqualTo(8);
        int[][] runs = {{0, 1, 2}, {3, 4}, {5}, {6, 7}};
        eachLineIsAcknowledgedByItsRecord(batch, lines, records, runs);
        for (int r = 0; r < runs.length; r++) {
            Message record = (Message) records.get(r);
            byte[] file = record.getHeader(Envelope.FILE_HEADER, byte[].class);
            assertThat(file != null).isEqualTo(fileFieldsOnce && runs[r].length > 1);
            List<Envelope> inside = Envelope.allFromRecord(record.getBody(byte[].class), file);
            assertThat(inside).hasSize(runs[r].length);
            assertThat(record.getHeader(Envelope.LINES_HEADER)).isEqualTo(runs[r].length > 1 ? String.valueOf(runs[r].length) : null);
            assertThat(record.getHeader(KafkaConstants.KEY)).isEqualTo("web-1:/var/log/app.log");
            for (int k = 0; k < runs[r].length; k++) {
                int i = runs[r][k];
                assertThat(inside.get(k).message()).isEqualTo(lines.get(i).getBody(String.class));
                assertThat(inside.get(k).offset()).isEqualTo(offsets[i]);
                assertThat(inside.get(k).truncated()).isEqualTo(i == 4);
                assertThat(inside.get(k).path()).isEqualTo("/var/log/app.log");
                assertThat(inside.get(k).host()).isEqualTo("web-1");
            }
        }
    }

    @Test
    void aLineThatNamesItsDocumentIdKeepsItsWholeEnvelope() {
        Exchange batch = new DefaultExchange(ctx);
        fileHeaders(batch.getMessage());
        List<Message> lines = new ArrayList<>(List.of(line("a", 0), line("b", 10), line("c", 20)));
        lines.get(1).setHeader(EnvelopeProcessor.DOCUMENT_ID, "doc-b");
        batch.getMessage().setBody(lines);
        new EnvelopeProcessor(Parsers::datasetOf, 64, 1 << 20, true).process(batch);

        Message record = (Message) batch.getMessage().getBody(List.class).get(0);
        assertThat(record.getHeader(Envelope.FILE_HEADER)).isNull();
        assertThat(Envelope.allFromJson(record.getBody(byte[].class))).extracting(Envelope::id)
                .containsExactly(null, "doc-b", null);
    }

    @Test
    void aRecordTakesNoFurtherLinePastItsSize() {
        Exchange batch = new DefaultExchange(ctx);
        fileHeaders(batch.getMessage());
        List<Message> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(line("x".repeat(1000), 1001L * i));
        }
        batch.getMessage().setBody(lines);
        new EnvelopeProcessor(Parsers::datasetOf, 64, 3000, false).process(batch); // two lines and their envelopes fit

        List<?> records = batch.getMessage().getBody(List.class);
        assertThat(records).hasSize(3);
        for (Object r : records) {
            assertThat(Envelope.allFromJson(((Message) r).getBody(byte[].class))).hasSize(2);
        }
    }
}
