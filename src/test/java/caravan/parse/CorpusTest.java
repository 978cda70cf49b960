package caravan.parse;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.LogEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real corpus: 10,000 combined lines from a public site's May 2015 traffic (see corpus/README.md). */
class CorpusTest {
    private static List<String> lines;

    @BeforeAll
    static void load() throws IOException {
        lines = read("/corpus/apache_combined_10k.log");
    }

    static List<String> read(String resource) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = CorpusTest.class.getResourceAsStream(resource);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
            }
        }
        return out;
    }

    @Test
    void everyLineParsesWithCombinedAndTheStatusCountsAreExact() throws Exception {
        assertThat(lines).hasSize(10_000);
        LineParser p = Parsers.forFormat("combined");
        Map<Integer, Integer> statuses = new TreeMap<>();
        LogEvent e = new LogEvent();
        for (String line : lines) {
            e.reset();
            p.parse(line, e);
            statuses.merge(e.statusCode, 1, Integer::sum);
        }
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(200, 9126, 304, 445, 404, 213, 301, 164, 206, 45,
                500, 3, 416, 2, 403, 2));
    }

    @Test
    void everyDocumentHasTheCoreFields() throws Exception {
        LineParser p = Parsers.forFormat("combined");
        long from = java.time.Instant.parse("2015-05-17T00:00:00Z").toEpochMilli();
        long to = java.time.Instant.parse("2015-05-21T00:00:00Z").toEpochMilli();
        int incomplete = 0;
        for (String line : lines) {
            Map<String, Object> d = Docs.doc(p, line);
            assertThat(d).containsKeys("@timestamp", "source.ip", "http.response.status_code", "message");
            long ts = java.time.Instant.parse((String) d.get("@timestamp")).toEpochMilli();
            assertThat(ts).isBetween(from, to);
            assertThat(d.get("message")).isEqualTo(line);
            if (d.containsKey("http.request.method")) {
                assertThat(d).containsKey("url.original");
            }
            if (d.containsKey("caravan.incomplete")) {
                incomplete++;
            }
        }
        assertThat(incomplete).isEqualTo(1); // line 8,899 is cut short in the original
    }

    @Test
    void theSameLinesReadAsNginxCombined() throws Exception {
        // nginx's combined is the same layout: same counts, a different dataset.
        LineParser p = Parsers.forFormat("nginx");
        LogEvent e = new LogEvent();
        int ok = 0;
        for (String line : lines) {
            e.reset();
            p.parse(line, e);
            ok += e.statusCode > 0 ? 1 : 0;
        }
        assertThat(ok).isEqualTo(10_000);
    }
}
