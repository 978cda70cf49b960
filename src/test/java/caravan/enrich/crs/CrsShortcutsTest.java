package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.LogEvent;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine's shortcuts (prefilter, per-value verdict cache, shared transformations, rules
 * skipped because no value can match) change no verdict: differential runs of the same requests
 * through an engine with every shortcut and one that runs every operator on every value. Each
 * request runs twice through the fast engine, so the second answer comes from the warm caches.
 */
class CrsShortcutsTest {
    @Test
    void regressionCasesGetTheSameVerdictWithAndWithoutShortcutsAtEveryParanoiaLevel() throws Exception {
        CrsRuleSet rules = CrsFixtures.rules();
        List<CrsRegressionTest.Case> cases = CrsRegressionTest.cases(rules, new ArrayList<>());
        LineParser parser = Parsers.forFormat(CrsRegressionTest.FORMAT);
        List<RequestData> requests = new ArrayList<>();
        for (CrsRegressionTest.Case c : cases) {
            LogEvent e = new LogEvent();
            parser.parse(c.line(), e);
            requests.add(RequestData.of(e, CrsFixtures.HEADERS));
        }
        for (int pl = 1; pl <= 4; pl++) {
            int firing = compare(rules, pl, requests);
            // The cases are attacks: a differential that compared empty verdicts would prove nothing.
            assertThat(firing).as("cases with a verdict at PL%d", pl).isGreaterThan(requests.size() / 2);
        }
    }

    @Test
    void corpusLinesGetTheSameVerdictWithAndWithoutShortcuts() throws Exception {
        CrsRuleSet rules = CrsTestDefaults.load(CrsFixtures.RULES, List.of(Path.of("crs-exclusions.conf")), List.of(),
                Detectors.libinjection(), Set.copyOf(CrsFixtures.HEADERS), Exclusions.NONE);
        List<RequestData> requests = new ArrayList<>();
        for (LogEvent e : CrsFixtures.corpus()) {
            requests.add(RequestData.of(e, CrsFixtures.HEADERS));
        }
        assertThat(compare(rules, 1, requests)).isGreaterThan(0);
    }

    /** Asserts equal verdicts request by request; returns how many requests had any rule fire. */
    private static int compare(CrsRuleSet rules, int pl, List<RequestData> requests) {
        CrsEngine fast = new CrsEngine(rules, pl, 5, CrsFixtures.SUITE_SETVARS, 100_000, true);
        CrsEngine slow = new CrsEngine(rules, pl, 5, CrsFixtures.SUITE_SETVARS, 100_000, false);
        int firing = 0;
        for (RequestData r : requests) {
            CrsEngine.Verdict expected = slow.evaluate(r);
            for (int pass = 0; pass < 2; pass++) {
                CrsEngine.Verdict got = fast.evaluate(r);
                assertThat(got.ruleIds()).as("PL%d pass %d %s", pl, pass, r.requestLine).isEqualTo(expected.ruleIds());
                assertThat(got.anomalyScore()).as("PL%d score %s", pl, r.requestLine).isEqualTo(expected.anomalyScore());
            }
            firing += expected.rules().isEmpty() ? 0 : 1;
        }
        return firing;
    }
}
