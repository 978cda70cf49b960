package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.parse.Corpus;
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
    private static final Path EXCLUSIONS = Path.of("crs-exclusions.conf");

    @Test
    void paranoiaOneWithTheDocumentedExclusionsFlagsAtMostOneLineInAThousand() throws Exception {
        CrsEnricher crs = CrsSettings.enricher(Map.of("caravan.enrich.crs.dir", CrsFixtures.RULES.toString(),
                "caravan.enrich.crs.exclusions-before", EXCLUSIONS.toString())::get);
        List<String> flagged = new ArrayList<>();
        int checked = Corpus.parsed("combined", (line, e) -> {
            crs.enrich(e);
            if (Boolean.TRUE.equals(e.get("caravan.threat.detected"))) {
                flagged.add(e.get("caravan.threat.crs.rule_ids") + " " + line);
            }
        });
        System.out.printf("CRS PL1 with crs-exclusions.conf flags %d of %d corpus lines%n", flagged.size(), checked);
        flagged.forEach(f -> System.out.println("  " + f));
        assertThat(checked).isGreaterThan(9_990);
        assertThat(flagged.size()).isLessThanOrEqualTo(Corpus.lines().size() / 1000);
    }

    @Test
    void withoutTheExclusionsTheSameCorpusShowsWhatTheyRemove() throws Exception {
        CrsEnricher crs = CrsSettings.enricher(Map.of("caravan.enrich.crs.dir", CrsFixtures.RULES.toString())::get);
        List<String> flagged = new ArrayList<>();
        Corpus.parsed("combined", (line, e) -> {
            crs.enrich(e);
            if (Boolean.TRUE.equals(e.get("caravan.threat.detected"))) {
                flagged.add(line);
                System.out.println("  without exclusions: " + e.get("caravan.threat.crs.rule_ids") + " " + line);
            }
        });
        System.out.printf("CRS PL1 without exclusions flags %d corpus lines%n", flagged.size());
        assertThat(flagged).isNotEmpty();
    }
}
