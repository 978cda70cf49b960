package caravan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.enrich.Enricher;
import caravan.enrich.bot.BotEnricher;
import caravan.enrich.bot.BotRules;
import caravan.enrich.geo.GeoIpEnricher;
import caravan.enrich.threat.ThreatEnricher;
import caravan.enrich.threat.ThreatRules;
import caravan.event.EcsJsonWriter;
import caravan.event.LogEvent;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte writer against the Jackson-generator writer it replaced (kept for the benchmarks): the
 * same bytes for every corpus line, enriched by GeoIP (the test databases), bots and threats, with
 * random extra fields and characters that need escapes, on one writer of each kind.
 */
class EcsJsonWriterSameBytesTest {
    @Test
    void writesTheSameBytesAsTheJacksonWriterOverTheEnrichedCorpus() throws Exception {
        LineParser parser = Parsers.forFormat("combined");
        Path geo = Path.of("src/test/resources/geoip");
        List<Enricher> chain = List.of(
                new GeoIpEnricher(geo.resolve("GeoIP2-City-Test.mmdb").toString(), geo.resolve("GeoLite2-ASN-Test.mmdb").toString(), "", 100, 60_000),
                new BotEnricher(BotRules.load(null), 100), new ThreatEnricher(ThreatRules.load(null)));
        String[] located = {"81.2.69.142", "216.160.83.56", "89.160.20.128", "2001:218::1"};
        EcsJsonWriter now = new EcsJsonWriter();
        EcsJsonWriterBefore before = new EcsJsonWriterBefore();
        Random random = new Random(14);
        int compared = 0;
        for (String raw : Files.readAllLines(Path.of("src/test/resources/corpus/apache_combined_10k.log"), StandardCharsets.UTF_8)) {
            String line = (compared % 3 == 0 ? located[compared % located.length] : raw.substring(0, raw.indexOf(' ')))
                    + raw.substring(raw.indexOf(' '));
            LogEvent e = new LogEvent();
            try {
                parser.parse(line, e);
            } catch (ParseException ex) {
                continue;
            }
            chain.forEach(x -> x.enrich(e));
            if (random.nextInt(4) == 0) {
                e.put("labels.note", "tab\t quote\" é € \ud83d\ude00 \ud800 \u0001").put("labels.ratio", random.nextDouble())
                        .put("labels.n", random.nextLong()).put("labels.list", List.of(1, "two", false));
            }
            e.durationNanos = random.nextInt(3) == 0 ? random.nextLong() : LogEvent.ABSENT;
            if (random.nextInt(20) == 0) { // a null value (left out) and a map field named as a typed member (both kept)
                e.fields().put("labels.gone", null);
                e.put("message", "from the map").put("http.response.status_code", "418");
            }
            assertThat(new String(now.write(e), StandardCharsets.UTF_8)).as(line)
                    .isEqualTo(new String(before.write(e), StandardCharsets.UTF_8));
            compared++;
        }
        assertThat(compared).isGreaterThan(9_000);
    }
}
