package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.Envelope;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The envelope's hand-written JSON encoder writes exactly what Jackson's generator writes. */
class EnvelopeJsonTest {
    private static final JsonFactory JSON = new JsonFactory();

    /** The reference: the envelope as Jackson writes it, field by field. */
    static byte[] jackson(Envelope e) throws IOException {
        return jackson(e, new ByteArrayBuilder());
    }

    /** The same into {@code out}, emptied first (EnvelopeWriteBenchmark reuses one). */
    static byte[] jackson(Envelope e, ByteArrayBuilder out) throws IOException {
        out.reset();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("message", e.message());
            g.writeObjectFieldStart("log");
            g.writeObjectFieldStart("file");
            g.writeStringField("path", e.path());
            g.writeEndObject();
            g.writeNumberField("offset", e.offset());
            if (e.truncated()) {
                g.writeArrayFieldStart("flags");
                g.writeString("truncated");
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("host");
            g.writeStringField("name", e.host());
            g.writeEndObject();
            g.writeObjectFieldStart("event");
            g.writeStringField("dataset", e.dataset());
            g.writeStringField("created", e.created());
            g.writeEndObject();
            if (e.service() != null) {
                g.writeObjectFieldStart("service");
                g.writeStringField("name", e.service());
                g.writeEndObject();
            }
            g.writeObjectFieldStart("caravan");
            g.writeStringField("source", e.source());
            g.writeStringField("format", e.format());
            g.writeStringField("file_id", e.fileId());
            if (e.id() != null) {
                g.writeStringField("id", e.id());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static Envelope env(String message, boolean truncated) {
        return new Envelope(message, "/var/log/apache2/access.log", 1234567890123L, "web-1", "apache.access",
                "2026-11-24T04:05:06.789Z", "web", "apache-access", "combined", "fe00-20c923-7174424e0fae6467", truncated);
    }

    @Test
    void sameBytesAsJacksonForTheCorpus() throws Exception {
        for (String line : Files.readAllLines(Path.of("src/test/resources/corpus/apache_combined_10k.log"))) {
            Envelope e = env(line, false);
            assertThat(new String(e.toJson(), StandardCharsets.UTF_8)).isEqualTo(new String(jackson(e), StandardCharsets.UTF_8));
        }
    }

    @Test
    void sameBytesAsJacksonForHardStrings() throws Exception {
        List<String> hard = new ArrayList<>(List.of("", "quote \" backslash \\ slash /", "tab\tnl\ncr\rbs\bff\f",
                "\u0000\u0001\u001f\u007f", "caf\u00e9 \u20ac \u4e2d\u6587", "emoji \ud83d\ude00 ok", "\uFFFD\uFFFD",
                "x".repeat(100_000), "\"quoted\" ".repeat(100_000), "a\tb\\c\u0001".repeat(50_000),
                // long runs between rare escapes: the shape of a joined access log line
                ("x".repeat(300) + "\"").repeat(5_000)));
        // every position of every special byte within and across the eight-byte words
        // and of characters that are not ASCII: Latin-1 (one byte each in the copy the writer scans),
        // and above 0xFF (a '?' there)
        for (String special : List.of("\"", "\\", "\u0000", "\u001f", "\n", "?", "\ud83d", "\u0080", "\u00e9",
                "\u00ff", "\u4e2d", "\ud83d\ude00")) {
            for (int at = 0; at < 20; at++) {
                hard.add("abcdefghijklmnopqrstu".substring(0, at) + special + "0123456789".repeat(2));
            }
        }
        for (char c = 0x20; c < 0x80; c++) {
            hard.add("12345678" + c + "abcdefgh" + c + c);
        }
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            all.append(c);
        }
        hard.add(all.toString());
        for (String s : hard) {
            for (boolean t : new boolean[] {false, true}) {
                Envelope e = env(s, t);
                assertThat(e.toJson()).isEqualTo(jackson(e));
                assertThat(Envelope.fromJson(e.toJson())).isEqualTo(e);
            }
        }
        Envelope nulls = new Envelope("m", null, -1, null, null, null, null, null, null, null);
        assertThat(nulls.toJson()).isEqualTo(jackson(nulls));
    }

    /**
     * The writer keeps the file fields' bytes from the line before; a random walk over values that
     * repeat, come back as equal copies, change, turn null or grow past what it keeps, with and
     * without a document id, must still write what Jackson writes, and so must every offset's digits.
     */
    @Test
    void fileFieldsThatRepeatOrChangeFromLineToLine() throws Exception {
        java.util.Random random = new java.util.Random(25);
        String[] pool = {null, "", "web-1", "/var/log/a \"b\".log", "caf\u00e9 \u4e2d", "x".repeat(511),
                "y".repeat(512), "\"".repeat(300), "z".repeat(2_000), "tab\there"};
        long[] offsets = {-1, 0, 9, 10, 99, 100, 1234567890123L, Long.MAX_VALUE};
        String[] fields = new String[9];
        for (int i = 0; i < 20_000; i++) {
            for (int f = 0; f < fields.length; f++) {
                int roll = random.nextInt(10);
                if (roll == 0) {
                    fields[f] = pool[random.nextInt(pool.length)];
                } else if (roll == 1 && fields[f] != null) {
                    fields[f] = new String(fields[f].toCharArray()); // equal, not the same object
                }
            }
            Envelope e = new Envelope("line " + i, fields[0], offsets[random.nextInt(offsets.length)], fields[1],
                    fields[2], fields[3], fields[4], fields[5], fields[6], fields[7], random.nextInt(50) == 0,
                    random.nextInt(4) == 0 ? fields[8] : null);
            assertThat(new String(e.toJson(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(jackson(e), StandardCharsets.UTF_8));
        }
    }

    @Test
    void loneSurrogatesToo() throws Exception {
        for (String s : List.of("broken \ud83d here", "\ude00 first", "last \ud83d", "\ude00\ud83d")) {
            Envelope e = env(s, false);
            assertThat(e.toJson()).isEqualTo(jackson(e));
        }
    }
}
