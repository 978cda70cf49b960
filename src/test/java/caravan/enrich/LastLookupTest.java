package caravan.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LastLookupTest {
    @Test
    void looksUpOnlyWhenTheKeyDiffersFromTheLastOne() {
        List<String> asked = new ArrayList<>();
        LastLookup<Integer> last = new LastLookup<>(k -> {
            asked.add(k);
            return k.length();
        });
        assertThat(last.get("abc")).isEqualTo(3);
        assertThat(last.get(new String("abc"))).isEqualTo(3); // equal, not the same object
        assertThat(last.get("de")).isEqualTo(2);
        assertThat(last.get("abc")).isEqualTo(3);
        assertThat(asked).containsExactly("abc", "de", "abc");
    }
}
