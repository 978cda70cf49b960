package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** A poll becomes batches of envelopes: a record of several lines one origin per line, never cut between batches. */
class PollChunksTest {
    private final DefaultCamelContext ctx = new DefaultCamelContext();

    private static Envelope line(long offset) {
        return new Envelope("10.0.0.1 - - [06/Dec/2026:10:00:00 +0000] \"GET /" + offset + " HTTP/1.1\" 200 5", "/var/log/a.log",
                offset, "web-1", "apache.access", "2026-12-06T10:00:00.000Z", null, "src", "combined", "fe00-1-2");
    }

    /** A record exchange as the batching consumer hands it over: the shipper's envelopes {@code [from, to)}. */
    private Exchange record(long kafkaOffset, int from, int to) {
        return record(kafkaOffset, from, to, false);
    }

    /** The same; with {@code fileFieldsOnce}, short lines and the file's fields in the record's header. */
    private Exchange record(long kafkaOffset, int from, int to, boolean fileFieldsOnce) {
        List<Envelope> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add(line(100L * i));
        }
        RecordHeaders h = new RecordHeaders();
        byte[] value;
        if (to - from > 1) {
            h.add(Envelope.LINES_HEADER, String.valueOf(to - from).getBytes(StandardCharsets.UTF_8));
            value = Envelope.toJsonLines(lines, 0, lines.size());
            if (fileFieldsOnce) {
                h.add(Envelope.FILE_HEADER, Envelope.fileFieldsJson(lines.get(0)));
                value = Envelope.toShortLines(lines, 0, lines.size());
            }
        } else {
            value = lines.get(0).toJson();
        }
        Exchange e = new DefaultExchange(ctx);
        e.getMessage().setHeader(KafkaConstants.TOPIC, "logs-raw");
        e.getMessage().setHeader(KafkaConstants.PARTITION, 0);
        e.getMessage().setHeader(KafkaConstants.OFFSET, kafkaOffset);
        e.getMessage().setHeader(KafkaConstants.HEADERS, h);
        e.getMessage().setBody(value);
        return e;
    }

    @Test
    void aRecordOfSeveralLinesGivesAnOriginPerLineAndStaysInOneBatch() {
        // records of 1, 3, 4 and 1 lines; batches of at most 5 lines
        List<Exchange> poll = List.of(record(10, 0, 1), record(11, 1, 4), record(12, 4, 8), record(13, 8, 9));
        List<List<RecordOrigin>> chunks = all(new PollChunks(5).chunks(poll));

        assertThat(chunks).extracting(List::size).containsExactly(4, 5);
        List<RecordOrigin> all = new ArrayList<>();
        chunks.forEach(all::addAll);
        assertThat(all).extracting(RecordOrigin::offset).containsExactly(10L, 11L, 11L, 11L, 12L, 12L, 12L, 12L, 13L);
        for (int i = 0; i < all.size(); i++) {
            assertThat(Envelope.fromJson(all.get(i).value())).isEqualTo(line(100L * i));
        }
        assertThat(all).extracting(RecordOrigin::line).containsExactly(-1, 0, 1, 2, 0, 1, 2, 3, -1);
        assertThat(all.get(2).idPosition()).isEqualTo("logs-raw/0@11#1");
        assertThat(all.get(2).position()).isEqualTo("logs-raw/0@11");
        assertThat(all.get(2).idTopic()).isEqualTo("logs-raw");
        assertThat(all.get(0).idPosition()).isEqualTo("logs-raw/0@10");
    }

    @Test
    void aRecordLargerThanABatchIsABatchOfItsOwn() {
        List<List<RecordOrigin>> chunks = all(new PollChunks(2).chunks(List.of(record(1, 0, 1), record(2, 1, 6), record(3, 6, 7))));
        assertThat(chunks).extracting(List::size).containsExactly(1, 5, 1);
    }

    @Test
    void anEmptyPollHasNoBatch() {
        assertThat(new PollChunks(5).chunks(List.of()).hasNext()).isFalse();
    }

    private static List<List<RecordOrigin>> all(java.util.Iterator<List<RecordOrigin>> chunks) {
        List<List<RecordOrigin>> out = new ArrayList<>();
        chunks.forEachRemaining(out::add);
        return out;
    }

    @Test
    void aValueWithoutTheHeaderIsOneEnvelopeWhateverItHolds() {
        Exchange e = record(5, 0, 1);
        byte[] pretty = "{\n  \"message\": \"a\"\n}".getBytes(StandardCharsets.UTF_8); // another producer's JSON
        e.getMessage().setBody(pretty);
        List<RecordOrigin> out = new ArrayList<>();
        PollChunks.lines(e, out);
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.value()).isEqualTo(pretty);
            assertThat(o.line()).isEqualTo(-1);
        });
    }

    @Test
    void aValueOfNothingButNewlinesFailsWholeRatherThanVanish() {
        Exchange e = record(5, 0, 2);
        e.getMessage().setBody("\n\n".getBytes(StandardCharsets.UTF_8));
        List<RecordOrigin> out = new ArrayList<>();
        PollChunks.lines(e, out);
        assertThat(out).singleElement().satisfies(o -> assertThat(o.offset()).isEqualTo(5));
    }

    @Test
    void aRecordWithTheFileHeaderGivesEachLineItsWholeEnvelope() {
        List<RecordOrigin> out = new ArrayList<>();
        PollChunks.lines(record(7, 0, 5, true), out);
        assertThat(out).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(out.get(i).value()).isEqualTo(line(100L * i).toJson()); // what the DLQ and a replay carry
            assertThat(out.get(i).problem()).isNull();
            assertThat(out.get(i).idPosition()).isEqualTo("logs-raw/0@7#" + i);
        }
    }

    @Test
    void aDamagedFileHeaderFailsEachLineWithTheReasonAndKeepsItsBytes() {
        Exchange e = record(7, 0, 3, true);
        RecordHeaders h = e.getMessage().getHeader(KafkaConstants.HEADERS, RecordHeaders.class);
        h.remove(Envelope.FILE_HEADER);
        h.add(Envelope.FILE_HEADER, "{\"host\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        List<RecordOrigin> out = new ArrayList<>();
        PollChunks.lines(e, out);
        byte[] value = e.getMessage().getBody(byte[].class);
        assertThat(out).hasSize(3).allSatisfy(o -> assertThat(o.problem()).contains("caravan.file header"));
        assertThat(out).extracting(RecordOrigin::value).containsExactlyElementsOf(Envelope.lines(value));
    }

    @Test
    void aDamagedLineFailsAloneWithTheReason() {
        Exchange e = record(7, 0, 3, true);
        String value = new String(e.getMessage().getBody(byte[].class), StandardCharsets.UTF_8);
        String[] lines = value.split("\n");
        e.getMessage().setBody(String.join("\n", lines[0], "not an envelope", lines[2]).getBytes(StandardCharsets.UTF_8));
        List<RecordOrigin> out = new ArrayList<>();
        PollChunks.lines(e, out);
        assertThat(out).extracting(RecordOrigin::problem).containsExactly(null,
                "a line of a record with the caravan.file header is not {\"message\":...,\"log\":{\"offset\":...}}", null);
        assertThat(out.get(1).value()).isEqualTo("not an envelope".getBytes(StandardCharsets.UTF_8));
        assertThat(out.get(2).value()).isEqualTo(line(200).toJson());
    }
}
