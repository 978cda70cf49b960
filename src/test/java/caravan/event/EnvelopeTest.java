package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    private final Envelope env = new Envelope("line \"with\" quotes", "/var/log/a.log", 123456, "web-1", "apache.access",
            "2026-11-24T04:05:06.789Z", "web", "apache-access", "combined", "id-1");

    @Test
    void writesTheDesignShape() throws Exception {
        JsonNode n = new ObjectMapper().readTree(env.toJson());
        assertThat(n.path("message").asText()).isEqualTo("line \"with\" quotes");
        assertThat(n.path("log").path("file").path("path").asText()).isEqualTo("/var/log/a.log");
        assertThat(n.path("log").path("offset").asLong()).isEqualTo(123456);
        assertThat(n.path("host").path("name").asText()).isEqualTo("web-1");
        assertThat(n.path("event").path("dataset").asText()).isEqualTo("apache.access");
        assertThat(n.path("service").path("name").asText()).isEqualTo("web");
        assertThat(n.path("caravan").path("format").asText()).isEqualTo("combined");
        assertThat(n.path("caravan").path("file_id").asText()).isEqualTo("id-1");
    }

    @Test
    void roundTrips() {
        assertThat(Envelope.fromJson(env.toJson())).isEqualTo(env);
    }

    @Test
    void skipsUnknownMembersFromNewerShippers() {
        String json = "{\"future\":{\"a\":[1,{\"b\":2}]},\"message\":\"m\",\"log\":{\"offset\":5,\"x\":{\"y\":1},"
                + "\"file\":{\"path\":\"/p\"}},\"caravan\":{\"format\":\"combined\",\"new\":true}}";
        Envelope e = Envelope.fromJson(json.getBytes(StandardCharsets.UTF_8));
        assertThat(e.message()).isEqualTo("m");
        assertThat(e.offset()).isEqualTo(5);
        assertThat(e.path()).isEqualTo("/p");
        assertThat(e.format()).isEqualTo("combined");
    }

    @Test
    void rejectsWhatIsNotAnEnvelope() {
        assertThatThrownBy(() -> Envelope.fromJson("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Envelope.fromJson("{\"log\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no message");
        assertThatThrownBy(() -> Envelope.fromJson("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyKeepsOneFileOnOnePartition() {
        assertThat(env.key()).isEqualTo("web-1:/var/log/a.log");
    }

    /** What both readers make of some bytes: the envelope, or the exception's class. */
    private static Object[] both(byte[] json) {
        Object fast, general;
        try {
            fast = Envelope.fromJson(json);
        } catch (IllegalArgumentException e) {
            fast = e.getClass();
        }
        try {
            general = Envelope.fromAnyJson(json);
        } catch (IllegalArgumentException e) {
            general = e.getClass();
        }
        return new Object[] {fast, general};
    }

    @Test
    void theOwnLayoutReaderAgreesWithTheGeneralReaderOnEveryShippedShape() throws Exception {
        String[] texts = {"plain", "", "a \"quoted\" \\ back/slash", "tab\tnew\nline\r\b\f", "ctl \u0001 \u001f",
            "caf\u00e9", "emoji \uD83D\uDE00", "lone \uD800 x", null};
        long[] offsets = {0, 7, -1, 123_456_789_012L, Long.MAX_VALUE, Long.MIN_VALUE};
        java.util.Random r = new java.util.Random(14);
        int read = 0;
        for (int i = 0; i < 3000; i++) {
            String msg = texts[r.nextInt(texts.length - 1)] + i; // a message is never null
            Envelope e = new Envelope(msg, texts[r.nextInt(texts.length)], offsets[r.nextInt(offsets.length)],
                    texts[r.nextInt(texts.length)], texts[r.nextInt(texts.length)], "2026-12-03T14:00:00.000Z",
                    r.nextBoolean() ? null : texts[r.nextInt(texts.length - 1)], texts[r.nextInt(texts.length)],
                    "combined", texts[r.nextInt(texts.length)], r.nextBoolean(), r.nextBoolean() ? null : "id-" + i);
            byte[] json = e.toJson();
            assertThat(Envelope.fromJson(json)).isEqualTo(e).isEqualTo(Envelope.fromAnyJson(json));
            // Declined exactly when a string needs a \\u escape or is not ASCII, or the offset has 19 digits.
            boolean plain = Long.toString(e.offset()).replace("-", "").length() <= 18 && java.util.stream.Stream.of(e.message(), e.path(), e.host(), e.dataset(), e.service(),
                    e.source(), e.fileId()).allMatch(t -> t == null || t.matches("[\\x20-\\x7e\\t\\n\\r\\f\\x08]*"));
            assertThat(OwnEnvelopeReader.read(json) != null).as("read the quick way: %s", e).isEqualTo(plain);
            read += plain ? 1 : 0;
        }
        assertThat(read).isGreaterThan(30);
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("src/test/resources/corpus/apache_combined_10k.log"))) {
            Envelope e = new Envelope(line, "/var/log/apache2/access.log", line.length(), "web-1", "apache.access",
                    "2026-12-03T14:00:00.000Z", null, "apache-access", "combined", "dev:1/ino:2");
            assertThat(OwnEnvelopeReader.read(e.toJson())).isEqualTo(e).isEqualTo(Envelope.fromAnyJson(e.toJson()));
        }
    }

    @Test
    void theOwnLayoutReaderDeclinesWhatItDoesNotKnowAndTheGeneralReaderDecides() {
        byte[] json = new Envelope("GET \"/a\" \\x", "/p", 42, "h", "d", "c", "s", "src", "combined", "f", true, "i").toJson();
        for (int cut = 0; cut < json.length; cut++) { // every truncation, and every byte changed
            Object[] b = both(java.util.Arrays.copyOf(json, cut));
            assertThat(b[0]).isEqualTo(b[1]);
            for (byte x : new byte[] {' ', '"', '\\', '}', '0', 'u', (byte) 0xC3, 1}) {
                byte[] changed = json.clone();
                changed[cut] = x;
                b = both(changed);
                assertThat(b[0]).as("byte %d set to %d", cut, x).isEqualTo(b[1]);
            }
        }
        String spaced = "{ \"message\": \"m\", \"log\": {\"file\": {\"path\": \"/p\"}, \"offset\": 5}}";
        assertThat(OwnEnvelopeReader.read(spaced.getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(Envelope.fromJson(spaced.getBytes(StandardCharsets.UTF_8)).offset()).isEqualTo(5);
    }
}
