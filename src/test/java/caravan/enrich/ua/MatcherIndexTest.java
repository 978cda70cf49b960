package caravan.enrich.ua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import caravan.parse.Corpus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.junit.jupiter.api.Test;

class MatcherIndexTest {
    /** Compacted matchers answer every corpus user agent, field by field, as the same matchers before. */
    @Test
    void compactedMatchersParseTheCorpusAsBefore() throws java.io.IOException {
        UserAgentAnalyzer compacted = AnalyzerSnapshot.fromJar().orElseThrow();
        UserAgentAnalyzer asRead = AnalyzerSnapshot.fromJar().orElseThrow();
        int replaced = MatcherIndex.compact(compacted);
        assertTrue(replaced > 150_000, "YAUAA 8's index has some 200,000 sets; replaced " + replaced);
        assertEquals(0, MatcherIndex.compact(compacted), "a compacted index has no LinkedHashSet left");
        Set<String> agents = new LinkedHashSet<>();
        Corpus.parsed("combined", (line, e) -> {
            if (e.userAgent != null) {
                agents.add(e.userAgent);
            }
        });
        agents.add("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36");
        agents.add("Googlebot/2.1 (+http://www.google.com/bot.html)");
        assertTrue(agents.size() > 500, "the corpus has some 550 distinct user agents, found " + agents.size());
        List<String> differences = new ArrayList<>();
        for (String ua : agents) {
            for (String field : UserAgentEnricher.FIELDS) {
                String after = compacted.parse(ua).getValue(field);
                String before = asRead.parse(ua).getValue(field);
                if (!Objects.equals(after, before)) {
                    differences.add(field + ": " + after + " != " + before + " for " + ua);
                }
            }
        }
        assertEquals(List.of(), differences);
    }

    @Test
    void anAnalyzerOfAnotherLayoutIsLeftAsItIs() {
        assertEquals(-1, MatcherIndex.compact(new Object()));
        assertEquals(-1, MatcherIndex.compact("no matchMaker here"));
    }

    @Test
    void aFrozenSetKeepsItsOrderAndRefusesChanges() {
        Set<String> set = new MatcherIndex.FrozenSet<>(List.of("c", "a", "b"));
        assertEquals(List.of("c", "a", "b"), new ArrayList<>(set));
        assertTrue(set.contains("a"));
        assertEquals(Set.of("a", "b", "c"), set);
        assertThrows(UnsupportedOperationException.class, () -> set.add("d"));
        Iterator<String> it = set.iterator();
        it.next();
        it.next();
        it.next();
        assertThrows(NoSuchElementException.class, it::next);
    }
}
