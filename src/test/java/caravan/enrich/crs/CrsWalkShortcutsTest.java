package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-request walk's shortcuts on small rule files: the quiet path (TX-only rules worked out
 * once, shared until a request writes), candidate heads from per-value bit sets, and a ctl that takes
 * a whole variable from tagged rules. Each case runs with all shortcuts and with none.
 */
class CrsWalkShortcutsTest {
    @TempDir
    Path dir;

    private CrsEngine[] engines(String rules) throws Exception {
        Files.writeString(dir.resolve("rules.conf"), rules);
        CrsRuleSet set = CrsTestDefaults.load(dir, List.of(), List.of(), Detectors.NONE, Set.of("user-agent"), Exclusions.NONE);
        return new CrsEngine[] {new CrsEngine(set, 1, 5, Map.of(), 1000, true), new CrsEngine(set, 1, 5, Map.of(), 1000, false)};
    }

    private static RequestData get(String target) {
        return RequestData.of(CrsEngineTest.request(target, "curl"), List.of("user-agent"));
    }

    /** The anomaly score of each target in turn, the same from the engine with shortcuts and without. */
    private static List<Integer> scores(CrsEngine[] engines, String... targets) {
        List<Integer> fast = new java.util.ArrayList<>();
        List<Integer> slow = new java.util.ArrayList<>();
        for (String t : targets) {
            fast.add(engines[0].evaluate(get(t)).anomalyScore());
            slow.add(engines[1].evaluate(get(t)).anomalyScore());
        }
        assertThat(fast).as("with shortcuts").isEqualTo(slow);
        return fast;
    }

    @Test
    void aRequestThatWritesTxLeavesTheQuietPathAndItsWritesDoNotReachOtherRequests() throws Exception {
        CrsEngine[] e = engines("""
                SecAction "id:1,phase:1,pass,nolog,setvar:tx.b=0"
                SecRule REQUEST_FILENAME "@contains evil" "id:2,phase:1,pass,nolog,setvar:tx.a=2"
                SecRule TX:a "@eq 2" "id:3,phase:2,pass,nolog,setvar:tx.b=7"
                SecRule REQUEST_FILENAME "@beginsWith /" "id:4,phase:2,pass,nolog,setvar:'tx.inbound_anomaly_score_pl1=+%{tx.b}'"
                SecRule TX:b "@eq 0" "id:5,phase:2,pass,nolog,setvar:'tx.inbound_anomaly_score_pl1=+1'"
                """);
        // /good: 4 adds 0, 5 adds 1. /evil: 3 sets b=7, 4 adds 7, 5 does not match.
        assertThat(scores(e, "/evil", "/good", "/evil", "/good", "/good")).containsExactly(7, 1, 7, 1, 1);
    }

    @Test
    void tagRemovalOfAWholeVariableStillLetsTheRulesOtherValuesMatch() throws Exception {
        CrsEngine[] e = engines("""
                SecRule REQUEST_FILENAME "@contains /" "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetByTag=t1;REQUEST_FILENAME"
                SecRule REQUEST_FILENAME|ARGS "@contains x" "id:2,phase:2,pass,tag:'t1',msg:'x',setvar:'tx.inbound_anomaly_score_pl1=+5'"
                SecRule REQUEST_FILENAME "@contains y" "id:3,phase:2,pass,tag:'t1',msg:'y',setvar:'tx.inbound_anomaly_score_pl1=+3'"
                SecRule REQUEST_FILENAME "@contains z" "id:4,phase:2,pass,msg:'z',setvar:'tx.inbound_anomaly_score_pl1=+1'"
                """);
        // The filename is taken from 2 and 3: only the argument x counts, and 4 (untagged) still sees z.
        assertThat(scores(e, "/x/y/z", "/a?q=x", "/x/y/z?q=x", "/x/y/z", "/b?q=x")).containsExactly(1, 5, 6, 1, 5);
    }

    @Test
    void aValuesLiveBitsDropOnlyTheLinksKnownNotToMatch() {
        ValueMemo m = new ValueMemo(130);
        m.verdict(3, false);
        m.verdict(70, true);
        m.verdict(129, false);
        long[] all = {-1L, -1L, -1L};
        long[] out = new long[3];
        m.orLive(all, out);
        assertThat(out[0] & 1L << 3).isZero();
        assertThat(out[1] & 1L << (70 - 64)).isNotZero();
        assertThat(out[2] & 1L << (129 - 128)).isZero();
        assertThat(out[0] & 1L << 4).as("unknown: may match").isNotZero();
        long[] none = new long[3];
        m.orLive(new long[3], none);
        assertThat(none).containsOnly(0L);
    }
}
