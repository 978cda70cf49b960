package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte writer's strings and numbers against Jackson's generator (what the documents were
 * written with before): the same bytes, on one reused buffer, for strings long and short with
 * escapes at every position of the eight-byte words the fast path reads.
 */
class JsonBytesTest {
    private static final JsonFactory JSON = new JsonFactory();
    /** Characters of every kind the string paths tell apart. */
    private static final String PALETTE = "aZ09 /-~\u007f\"\\\n\t\r\b\f\u0000\u0001\u001f"
            + "\u00e9\u00ff\u0100\u0141\u20ac\uffff\ud83d\ude00\ud800\udfff";

    private final JsonBytes out = new JsonBytes(16);

    private static String jackson(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(b)) {
            g.writeString(s);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private String mine(String s) {
        out.reset();
        out.string(s);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void writesRandomStringsAsJacksonDoes() throws IOException {
        Random random = new Random(14);
        for (int round = 0; round < 20_000; round++) {
            int len = random.nextInt(round % 10 == 0 ? 600 : 80);
            StringBuilder s = new StringBuilder(len);
            boolean ascii = random.nextBoolean(); // half of them plain ASCII but for a few escapes
            for (int i = 0; i < len; i++) {
                int r = random.nextInt(100);
                if (ascii ? r < 97 : r < 60) {
                    s.append((char) (' ' + random.nextInt(95)));
                } else {
                    s.append(PALETTE.charAt(random.nextInt(ascii ? 15 : PALETTE.length())));
                }
            }
            String text = s.toString();
            assertThat(mine(text)).as("%s", text).isEqualTo(jackson(text));
        }
    }

    @Test
    void escapesAtEveryPlaceOfAWordInALongString() throws IOException {
        String base = "x".repeat(70);
        for (String special : new String[] {"\"", "\\", "\n", "\u0000", "\u001f", "\u00e9", "\u20ac", "\ud83d\ude00", "\udc00",
            "?", "\u0080", "\u00ff", "\u0100", "\u013f", "\u0141", "?\u013f?"}) {
            for (int at = 0; at < base.length(); at++) {
                String text = base.substring(0, at) + special + base.substring(at);
                assertThat(mine(text)).as("%s at %d", special, at).isEqualTo(jackson(text));
            }
        }
    }

    /** The long path reads Latin-1 bytes, where a character beyond Latin-1 (a surrogate too) became a '?'. */
    @Test
    void tellsARealQuestionMarkFromAnUnmappedCharacter() throws IOException {
        for (String text : new String[] {"/search?q=\u0141\u00f3d\u017a&lang=pl?x" + "?".repeat(30),
            "\u013f".repeat(40), "?".repeat(40) + "\u20ac", "\u00e9t\u00e9 ".repeat(10) + "?\ud800?",
            "/search?q=" + "x".repeat(30) + "?\ud800?\udfff" + "?".repeat(9)}) {
            assertThat(mine(text)).as("%s", text).isEqualTo(jackson(text));
        }
    }

    @Test
    void writesAllPlainLongStringsAsTheyAre() throws IOException {
        String text = "GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1 ~\u007f";
        assertThat(mine(text)).isEqualTo('"' + text + '"').isEqualTo(jackson(text));
        String huge = "abc/".repeat(100_000); // grows the buffer and the scratch arrays
        assertThat(mine(huge)).isEqualTo('"' + huge + '"');
    }

    @Test
    void writesLongsAsJacksonDoes() throws IOException {
        long[] values = {0, 1, -1, 9, 10, 99, 100, 999_999_999, 1_000_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE,
            4_294_967_296L, 1_000_000_000_000_000_000L, 999_999_999_999_999_999L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        Random random = new Random(1);
        for (int i = 0; i < 10_000 + values.length; i++) {
            long v = i < values.length ? values[i] : random.nextLong() >> random.nextInt(64);
            out.reset();
            out.number(v);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (JsonGenerator g = JSON.createGenerator(b)) {
                g.writeNumber(v);
            }
            assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(b.toString(StandardCharsets.US_ASCII));
        }
    }
}
