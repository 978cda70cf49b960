package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.parse.LineParser;
import caravan.event.LogEvent;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * False positives on real traffic: CRS at paranoia level 1, with the exclusions the README
 * documents ({@code crs-exclusions.conf}), flags at most one corpus line in a thousand.
 */
class CrsCorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/corpus/apache_combined_10k.log");
    private static final Path EXCLUSIONS = Path.of("crs-exclusions.conf");

    @Test
    void paranoiaOneWithTheDocumentedExclusionsFlagsAtMostOneLineInAThousand() throws Exception {
        CrsEnricher crs = CrsSettings.enricher(Map.of("caravan.enrich.crs.dir", CrsFixtures.RULES.toString(),
                "caravan.enrich.crs.exclusions-before", EXCLUSIONS.toString())::get);
        List<String> lines = Files.readAllLines(CORPUS, StandardCharsets.UTF_8);
        LineParser parser = Parsers.forFormat("combined");
        List<String> flagged = new ArrayList<>();
        int checked = 0;
        for (String line : lines) {
            LogEvent e = new LogEvent();
            try {
                parser.parse(line, e);
            } catch (ParseException ex) {
                continue;
            }
            crs.enrich(e);
            checked++;
            if (Boolean.TRUE.equals(e.get("caravan.threat.detected"))) {
                flagged.add(e.get("caravan.threat.crs.rule_ids") + " " + line);
            }
        }
        System.out.printf("CRS PL1 with crs-exclusions.conf flags %d of %d corpus lines%n", flagged.size(), checked);
        flagged.forEach(f -> System.out.println("  " + f));
        assertThat(checked).isGreaterThan(9_990);
        assertThat(flagged.size()).isLessThanOrEqualTo(lines.size() / 1000);
    }

    @Test
    void withoutTheExclusionsTheSameCorpusShowsWhatTheyRemove() throws Exception {
        CrsEnricher crs = CrsSettings.enricher(Map.of("caravan.enrich.crs.dir", CrsFixtures.RULES.toString())::get);
        LineParser parser = Parsers.forFormat("combined");
        int flagged = 0;
        for (String line : Files.readAllLines(CORPUS, StandardCharsets.UTF_8)) {
            LogEvent e = new LogEvent();
            try {
                parser.parse(line, e);
            } catch (ParseException ex) {
                continue;
            }
            crs.enrich(e);
            if (Boolean.TRUE.equals(e.get("caravan.threat.detected"))) {
                flagged++;
                System.out.println("  without exclusions: " + e.get("caravan.threat.crs.rule_ids") + " " + line);
            }
        }
        System.out.printf("CRS PL1 without exclusions flags %d corpus lines%n", flagged);
        assertThat(flagged).isGreaterThan(0);
    }
}
