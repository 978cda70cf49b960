package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A record's lines without their file's fields, made whole by its {@code caravan.file} header, are
 * byte for byte the envelopes the shipper would have sent whole.
 */
class FileFieldsHeaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The whole envelopes of {@code group}, spliced from its short lines and its header. */
    private static List<byte[]> spliced(List<Envelope> group) {
        byte[] value = Envelope.toShortLines(group, 0, group.size());
        FileFieldsHeader header = FileFieldsHeader.read(Envelope.fileFieldsJson(group.get(0)));
        List<byte[]> out = new ArrayList<>();
        for (byte[] line : Envelope.lines(value)) {
            out.add(header.envelope(line, 0, line.length));
        }
        return out;
    }

    private static void assertSameAsWhole(List<Envelope> group) {
        List<byte[]> spliced = spliced(group);
        assertThat(spliced).hasSize(group.size());
        for (int i = 0; i < group.size(); i++) {
            assertThat(new String(spliced.get(i), StandardCharsets.UTF_8))
                    .isEqualTo(new String(group.get(i).toJson(), StandardCharsets.UTF_8));
            assertThat(Envelope.fromJson(spliced.get(i))).isEqualTo(group.get(i));
        }
        assertThat(Envelope.allFromRecord(Envelope.toShortLines(group, 0, group.size()),
                Envelope.fileFieldsJson(group.get(0)))).isEqualTo(group);
    }

    private static Envelope env(String message, String path, long offset, String service, boolean truncated) {
        return new Envelope(message, path, offset, "web-1", "apache.access", "2026-11-24T04:05:06.789Z", service,
                "apache-access", "combined", "fe00-20c923-7174424e0fae6467", truncated);
    }

    @Test
    void theCorpusInRecordsOf64() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/corpus/apache_combined_10k.log"));
        long offset = 0;
        List<Envelope> group = new ArrayList<>();
        for (String line : lines) {
            group.add(env(line, "/var/log/apache2/access.log", offset, "web", false));
            offset += line.length() + 1;
            if (group.size() == 64) {
                assertSameAsWhole(group);
                group.clear();
            }
        }
        assertSameAsWhole(group);
    }

    @Test
    void hardMessagesPathsAndFlags() {
        List<String> hard = List.of("", "quote \" backslash \\", "ends in a backslash \\", "\",\"log\":{\"offset\":1}}",
                ",\"log\":{\"offset\":", "tab\tnl\ncr\r", "\u0000\u001f\u007f", "caf\u00e9 \u4e2d \ud83d\ude00",
                "broken \ud83d", "x".repeat(70_000));
        List<String> paths = new ArrayList<>(List.of("/var/log/a.log", "/var/log/\"quoted\"},\"host\":{.log",
                "C:\\logs\\a.log", "caf\u00e9.log"));
        paths.add(null);
        for (String path : paths) {
            for (String service : new String[] {"web", null}) {
                List<Envelope> group = new ArrayList<>();
                long offset = 0;
                for (String m : hard) {
                    group.add(env(m, path, offset, service, offset % 3 == 0));
                    offset = offset * 10 + 7;
                }
                group.add(env("last", path, Long.MAX_VALUE, service, true));
                assertSameAsWhole(group);
            }
        }
    }

    @Test
    void headerAndShortLinesAreJsonOnTheirOwn() throws Exception {
        Envelope e = env("GET / \"x\"", "/var/log/a.log", 42, null, true);
        JsonNode header = JSON.readTree(Envelope.fileFieldsJson(e));
        assertThat(header.at("/log/file/path").asText()).isEqualTo("/var/log/a.log");
        assertThat(header.at("/host/name").asText()).isEqualTo("web-1");
        assertThat(header.at("/caravan/file_id").asText()).isEqualTo("fe00-20c923-7174424e0fae6467");
        assertThat(header.has("message")).isFalse();
        JsonNode line = JSON.readTree(Envelope.toShortLines(List.of(e), 0, 1));
        assertThat(line.get("message").asText()).isEqualTo("GET / \"x\"");
        assertThat(line.at("/log/offset").asLong()).isEqualTo(42);
        assertThat(line.at("/log/flags/0").asText()).isEqualTo("truncated");
        assertThat(line.size()).isEqualTo(2);
    }

    /** The header is written once and kept while a file's fields stay the same, and follows a change. */
    @Test
    void aRandomWalkOfFileFields() {
        Random random = new Random(33);
        String[] pool = {null, "", "web-1", "/var/log/a \"b\".log", "x".repeat(2_000), "caf\u00e9"};
        String[] f = new String[8];
        for (int i = 0; i < 3_000; i++) {
            for (int k = 0; k < f.length; k++) {
                if (random.nextInt(8) == 0) {
                    f[k] = pool[random.nextInt(pool.length)];
                }
            }
            List<Envelope> group = new ArrayList<>();
            for (int n = 1 + random.nextInt(5); n > 0; n--) {
                group.add(new Envelope("line " + i + "/" + n, f[0], random.nextInt(1000), f[1], f[2], f[3], f[4], f[5],
                        f[6], f[7], random.nextInt(9) == 0));
            }
            assertSameAsWhole(group);
        }
    }

    @Test
    void aHeaderNotInTheShippersLayoutIsRefusedWithTheReason() {
        for (String bad : List.of("", "{}", "{\"log\":{\"file\":{\"path\":\"a}}", "{\"log\":{\"file\":{\"path\":\"a\"}}}",
                "{\"log\":{\"file\":{\"path\":\"a\"}},\"host\":{\"name\":\"h\"}", "not json")) {
            assertThatThrownBy(() -> FileFieldsHeader.read(bad.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("caravan.file header");
        }
        assertThatThrownBy(() -> FileFieldsHeader.read(null)).hasMessageContaining("caravan.file header");
    }

    @Test
    void aLineNotInTheShortLayoutIsRefusedWithTheReason() {
        FileFieldsHeader header = FileFieldsHeader.read(Envelope.fileFieldsJson(env("m", "/a", 1, "web", false)));
        byte[] whole = env("m", "/a", 1, "web", false).toJson();
        for (String bad : List.of("", "{\"message\":\"m\"}", "{\"log\":{\"offset\":1}}", "plain text",
                new String(whole, StandardCharsets.UTF_8), "{\"message\":\"m\",\"log\":{\"offset\":1}")) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> header.envelope(b, 0, b.length)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not {\"message\":...,\"log\":{\"offset\":...}}");
        }
    }
}
