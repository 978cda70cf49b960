package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

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
}
