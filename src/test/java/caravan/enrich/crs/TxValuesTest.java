package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The TX overlay: reads through to the shared map, and one changed state gives one branch key. */
class TxValuesTest {
    private static final Map<String, String> BASE = Map.of("a", "1", "b", "2", "c", "3");

    @Test
    void writesAndRemovalsSitOverTheBaseWithoutChangingIt() {
        TxValues tx = new TxValues(BASE);
        tx.put("a", "9");
        tx.remove("b");
        tx.put("d", "4");
        assertThat(tx.get("a")).isEqualTo("9");
        assertThat(tx.get("b")).isNull();
        assertThat(tx.copy()).isEqualTo(Map.of("a", "9", "c", "3", "d", "4"));
        assertThat(BASE).containsEntry("a", "1").containsEntry("b", "2");
        tx.reset(BASE);
        assertThat(tx.get("a")).isEqualTo("1");
    }

    @Test
    void theSameChangesGiveTheSameKeyWhateverTheOrderAndHistory() {
        TxValues one = new TxValues(BASE);
        for (String k : new String[] {"z", "m", "c", "x", "anomaly_score", "b"}) {
            one.put(k, k.equals("c") ? "3" : "v" + k); // c unchanged: not part of the key
        }
        TxValues other = new TxValues(BASE);
        for (int i = 0; i < 100; i++) {
            other.put("grow" + i, "x"); // a table that has grown, then is reused
        }
        other.reset(BASE);
        for (String k : new String[] {"b", "anomaly_score", "x", "c", "m", "z"}) {
            other.put(k, k.equals("c") ? "3" : "v" + k);
        }
        assertThat(other.changedFrom(BASE)).containsExactly(one.changedFrom(BASE))
                .containsExactly("anomaly_score", "vanomaly_score", "b", "vb", "m", "vm", "x", "vx", "z", "vz");
    }

    @Test
    void aKeyRegexSelectsWhatAWalkOverEveryKeyWould() {
        Map<String, String> base = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            base.put((i % 3 == 0 ? "header_name_920450_h" : "other_") + i, "/v" + i + "/");
        }
        Target t = Target.parseList("TX:/^header_name_920450_/", "test", 1000).get(0);
        TxSelections selections = new TxSelections();
        TxValues tx = new TxValues(base);
        for (int round = 0; round < 3; round++) { // the base's selection is cached from the second round on
            tx.reset(base);
            tx.put("header_name_920450_h0", "/changed/");
            tx.remove("header_name_920450_h3");
            tx.put("header_name_920450_user-agent", "/user-agent/");
            tx.put("other_new", "x");
            List<String> all = new ArrayList<>();
            tx.forEach((k, v) -> {
                if (t.selects(k)) {
                    all.add(k + "=" + v);
                }
            });
            List<String> selected = new ArrayList<>();
            tx.forEachSelected(t, selections, (k, v) -> selected.add(k + "=" + v));
            assertThat(selected).containsExactlyElementsOf(all).contains("header_name_920450_h0=/changed/")
                    .doesNotContain("header_name_920450_h3=/v3/");
        }
        assertThat(selections.of(Map.copyOf(base), t)).hasSize(2 * 14); // another map: worked out afresh
    }
}
