package caravan.enrich.bot;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.LogEvent;
import caravan.parse.Corpus;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The well-known crawlers in real traffic: every one of their lines must come out a bot. */
class BotCorpusTest {
    private static final Path CORPUS = Corpus.COMBINED_10K;

    @Test
    void everyGooglebotBaiduspiderAndArchiveOrgLineIsABot() throws Exception {
        List<String> lines = Files.readAllLines(CORPUS, StandardCharsets.UTF_8);
        BotEnricher bots = new BotEnricher(BotRules.load(null), 10_000);
        LineParser parser = Parsers.forFormat("combined");
        String[] tokens = {"googlebot", "baiduspider", "archive.org"};
        Map<String, Integer> withToken = new TreeMap<>();
        Map<String, Integer> flagged = new TreeMap<>();
        Map<String, Integer> categories = new TreeMap<>();
        Map<String, Integer> unparsed = new TreeMap<>();
        for (String line : lines) {
            LogEvent e = new LogEvent();
            try {
                parser.parse(line, e);
            } catch (ParseException ex) {
                for (String t : tokens) {
                    if (line.toLowerCase(Locale.ROOT).contains(t)) {
                        unparsed.merge(t, 1, Integer::sum); // never indexed, so never enriched
                    }
                }
                continue;
            }
            bots.enrich(e);
            String ua = e.userAgent == null ? "" : e.userAgent.toLowerCase(Locale.ROOT);
            for (String t : tokens) {
                if (ua.contains(t)) {
                    withToken.merge(t, 1, Integer::sum);
                    if (Boolean.TRUE.equals(e.get("caravan.bot.is_bot"))) {
                        flagged.merge(t, 1, Integer::sum);
                    }
                }
            }
            categories.merge(String.valueOf(e.get("caravan.bot.category")), 1, Integer::sum);
        }
        System.out.println("lines with the token: " + withToken + ", of which bots: " + flagged);
        System.out.println("caravan.bot.category over the corpus: " + categories);
        // Counted independently of the parser too: every raw line that mentions the crawler is accounted for.
        for (String t : tokens) {
            long raw = lines.stream().filter(l -> l.toLowerCase(Locale.ROOT).contains(t)).count();
            assertThat(withToken.get(t) + unparsed.getOrDefault(t, 0)).as(t).isEqualTo((int) raw);
        }
        assertThat(flagged).isEqualTo(withToken);
        assertThat(withToken.get("googlebot")).isGreaterThan(500);
        assertThat(withToken.get("baiduspider")).isGreaterThan(80);
        assertThat(withToken.get("archive.org")).isGreaterThan(160);
    }
}
