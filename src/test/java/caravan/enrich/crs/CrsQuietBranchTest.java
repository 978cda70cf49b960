package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Branches of the quiet path ({@link QuietPaths}): a request that a bookkeeping rule made dirty goes
 * on along the walk cached for its state. Every case compares, request by request, the engine with
 * branches against the plain walk (no shortcuts) and against shortcuts without branches: the same
 * rule ids and score.
 */
class CrsQuietBranchTest {
    @TempDir
    Path dir;

    private static final int NO_BRANCHES = 0;

    /** Each request through the three engines, twice through the branching one (the second from the cache). */
    private static int compare(CrsRuleSet rules, int pl, List<RequestData> requests, CrsEngine branching) {
        CrsEngine plain = new CrsEngine(rules, pl, 5, CrsFixtures.SUITE_SETVARS, 100_000, false);
        CrsEngine unbranched = new CrsEngine(rules, pl, 5, CrsFixtures.SUITE_SETVARS, 100_000, true, NO_BRANCHES);
        int firing = 0;
        for (RequestData r : requests) {
            CrsEngine.Verdict expected = plain.evaluate(r);
            assertThat(unbranched.evaluate(r)).as("no branches, PL%d %s", pl, r.requestLine).isEqualTo(expected);
            for (int pass = 0; pass < 2; pass++) {
                CrsEngine.Verdict got = branching.evaluate(r);
                assertThat(got.ruleIds()).as("PL%d pass %d %s", pl, pass, r.requestLine).isEqualTo(expected.ruleIds());
                assertThat(got.anomalyScore()).as("PL%d score %s", pl, r.requestLine).isEqualTo(expected.anomalyScore());
            }
            firing += expected.rules().isEmpty() ? 0 : 1;
        }
        return firing;
    }

    @Test
    void corpusRequestsGoOnAlongBranchesWithTheVerdictsOfThePlainWalk() throws Exception {
        CrsRuleSet rules = CrsShortcutsTest.corpusRules();
        List<RequestData> requests = CrsShortcutsTest.corpusRequests();
        CrsEngine engine = new CrsEngine(rules, 1, 5, CrsFixtures.SUITE_SETVARS, 100_000, true, 1000);
        assertThat(compare(rules, 1, requests, engine)).isGreaterThan(0);
        QuietPaths paths = engine.paths();
        // Every corpus request leaves the quiet path at a bookkeeping rule (920440, 920450, ...): most go on along a branch.
        assertThat(paths.taken()).as("branches taken").isGreaterThan(requests.size());
        assertThat(paths.walked()).as("requests walked rule by rule").isLessThan(requests.size() / 100);
        assertThat(paths.states()).as("states kept").isBetween(1, 1000);
    }

    @Test
    void regressionCasesGetTheSameVerdictsAlongBranchesAtEveryParanoiaLevel() throws Exception {
        CrsRuleSet rules = CrsFixtures.rules();
        List<RequestData> requests = CrsShortcutsTest.regressionRequests(rules);
        for (int pl = 1; pl <= 4; pl++) {
            CrsEngine engine = new CrsEngine(rules, pl, 5, CrsFixtures.SUITE_SETVARS, 100_000, true, 100_000);
            assertThat(compare(rules, pl, requests, engine)).as("cases with a verdict at PL%d", pl).isGreaterThan(requests.size() / 2);
            assertThat(engine.paths().taken()).as("branches taken at PL%d", pl).isGreaterThan(0);
        }
    }

    private CrsRuleSet load(String text) throws Exception {
        Files.writeString(dir.resolve("rules.conf"), text);
        return CrsTestDefaults.load(dir, List.of(), List.of(), Detectors.NONE, Set.of("user-agent"), Exclusions.NONE);
    }

    private static List<RequestData> get(String... targets) {
        List<RequestData> out = new ArrayList<>();
        for (String t : targets) {
            out.add(RequestData.of(CrsEngineTest.request(t, "curl"), List.of("user-agent")));
        }
        return out;
    }

    /** A bookkeeping rule notes the extension (as 920440 does); what comes after decides whether a branch may skip it. */
    private static final String BOOKKEEPING = """
            SecAction "id:1,phase:1,pass,nolog,setvar:tx.score=0"
            SecRule REQUEST_BASENAME "@rx \\.([^.]+)$" "id:2,phase:1,pass,nolog,capture,setvar:tx.ext=%{tx.1}"
            """;
    private static final String SCORED = """
            SecRule TX:score "@ge 1" "id:9,phase:2,pass,msg:'scored',setvar:tx.inbound_anomaly_score_pl1=+%{tx.score}"
            SecRule REQUEST_FILENAME "@contains admin" "id:10,phase:2,pass,msg:'admin',setvar:tx.inbound_anomaly_score_pl1=+5"
            """;

    @Test
    void aTxRuleThatReadsTheMatchedVariableAfterABookkeepingRuleIsWalkedNotBranched() throws Exception {
        // Rule 3 reads MATCHED_VAR, the basename 2 matched: different for every request of the same TX state.
        CrsRuleSet rules = load(BOOKKEEPING + """
                SecRule MATCHED_VAR "@beginsWith evil" "id:3,phase:1,pass,nolog,setvar:tx.score=3"
                SecAction "id:4,phase:1,pass,nolog,setvar:'tx.seen=%{MATCHED_VAR}'"
                """ + SCORED);
        CrsEngine engine = new CrsEngine(rules, 1, 5, Map.of(), 1000, true, 1000);
        List<RequestData> requests = get("/a/evil.php", "/a/good.php", "/b/evil.php", "/admin/good.php", "/a/evil.php");
        compare(rules, 1, requests, engine);
        assertThat(engine.evaluate(requests.get(0)).anomalyScore()).as("the stale read would score 0 for evil").isEqualTo(3);
        assertThat(engine.evaluate(requests.get(1)).anomalyScore()).isZero();
        assertThat(engine.paths().taken()).isZero();
        assertThat(engine.paths().walked()).isGreaterThan(0);
    }

    @Test
    void aSetvarThatReadsTheMatchedVariableAlsoRefusesTheBranch() throws Exception {
        CrsRuleSet rules = load(BOOKKEEPING + """
                SecAction "id:4,phase:1,pass,nolog,setvar:'tx.seen=%{MATCHED_VAR}'"
                SecRule TX:seen "@beginsWith evil" "id:5,phase:1,pass,nolog,setvar:tx.score=4"
                """ + SCORED);
        CrsEngine engine = new CrsEngine(rules, 1, 5, Map.of(), 1000, true, 1000);
        List<RequestData> requests = get("/a/evil.php", "/a/good.php", "/a/evil.php", "/a/good.php");
        compare(rules, 1, requests, engine);
        assertThat(engine.evaluate(requests.get(0)).anomalyScore()).isEqualTo(4);
        assertThat(engine.paths().taken()).isZero();
    }

    @Test
    void aTxRuleThatMatchesBeforeReadingTheMatchedVariableLetsTheBranchBeTaken() throws Exception {
        // 6's own match replaces MATCHED_VAR before its chain (and 7) read it: the same for every basename.
        CrsRuleSet rules = load(BOOKKEEPING + """
                SecRule TX:ext "@rx ." "id:6,phase:1,pass,nolog,chain"
                    SecRule MATCHED_VAR "@streq php" "setvar:tx.score=2"
                SecAction "id:7,phase:1,pass,nolog,setvar:'tx.seen=%{MATCHED_VAR}'"
                """ + SCORED);
        CrsEngine engine = new CrsEngine(rules, 1, 5, Map.of(), 1000, true, 1000);
        List<RequestData> requests = get("/a/x.php", "/a/y.php", "/admin/z.php", "/a/x.txt", "/a/y.txt", "/a/x.php");
        compare(rules, 1, requests, engine);
        assertThat(engine.evaluate(requests.get(0)).anomalyScore()).isEqualTo(2);
        assertThat(engine.evaluate(requests.get(2)).anomalyScore()).isEqualTo(7);
        assertThat(engine.paths().taken()).isGreaterThan(0);
        assertThat(engine.paths().walked()).isZero();
        assertThat(engine.paths().states()).as("by extension: php, txt").isEqualTo(2);
    }

    @Test
    void aFullCacheOrATooLargeStateWalksRuleByRuleWithTheSameVerdicts() throws Exception {
        CrsRuleSet rules = load(BOOKKEEPING + """
                SecRule TX:ext "@streq php" "id:6,phase:1,pass,nolog,setvar:tx.score=2"
                SecRule REQUEST_FILENAME "@beginsWith /x" "id:8,phase:1,pass,nolog,ctl:ruleRemoveById=10"
                """ + SCORED);
        CrsEngine engine = new CrsEngine(rules, 1, 5, Map.of(), 1000, true, 2);
        String longExtension = "/a/b." + "e".repeat(QuietPaths.LARGEST_STATE + 1);
        List<RequestData> requests = get("/a/b.php", "/admin/b.php", "/x/admin.php", "/a/b.txt", "/a/b.gif",
                "/x/admin.png", longExtension, "/a/b.php");
        compare(rules, 1, requests, engine);
        assertThat(engine.evaluate(requests.get(1)).anomalyScore()).isEqualTo(7);
        assertThat(engine.evaluate(requests.get(2)).anomalyScore()).as("10 removed by 8's ctl").isEqualTo(2);
        assertThat(engine.paths().states()).isEqualTo(2);
        assertThat(engine.paths().walked()).isGreaterThan(0);
        assertThat(engine.paths().taken()).isGreaterThan(0);
    }
}
