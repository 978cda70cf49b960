package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** FieldMap against LinkedHashMap (the map it replaced in LogEvent) under random operations. */
class FieldMapTest {
    @Test
    void behavesAsALinkedHashMapUnderRandomOperations() {
        Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            FieldMap mine = new FieldMap(random.nextInt(6));
            Map<String, Object> ref = new LinkedHashMap<>();
            int keys = 1 + random.nextInt(round % 3 == 0 ? 80 : 20); // past the linear-scan limit too
            for (int op = 0; op < 400; op++) {
                String k = random.nextInt(20) == 0 ? null : "f." + random.nextInt(keys);
                switch (random.nextInt(8)) {
                    case 0, 1, 2 -> {
                        Object v = random.nextInt(10) == 0 ? null : (Object) op;
                        assertThat(mine.put(k, v)).isEqualTo(ref.put(k, v));
                    }
                    case 3 -> assertThat(mine.remove(k)).isEqualTo(ref.remove(k));
                    case 4 -> assertThat(mine.get(k)).isEqualTo(ref.get(k));
                    case 5 -> assertThat(mine.containsKey(k)).isEqualTo(ref.containsKey(k));
                    case 6 -> removeEveryThird(mine, ref);
                    default -> {
                        if (random.nextInt(30) == 0) {
                            mine.clear();
                            ref.clear();
                        }
                    }
                }
                assertThat(mine.size()).isEqualTo(ref.size());
                assertThat(mine.hasNullValue()).isEqualTo(ref.containsValue(null));
            }
            assertThat(new ArrayList<>(mine.entrySet())).isEqualTo(new ArrayList<>(ref.entrySet()));
            assertThat(mine).isEqualTo(ref);
            assertThat(mine.hashCode()).isEqualTo(ref.hashCode());
            List<String> order = new ArrayList<>();
            mine.forEach((k, v) -> order.add(k));
            assertThat(order).containsExactlyElementsOf(ref.keySet());
        }
    }

    private static void removeEveryThird(FieldMap mine, Map<String, Object> ref) {
        Iterator<Map.Entry<String, Object>> a = mine.entrySet().iterator();
        Iterator<Map.Entry<String, Object>> b = ref.entrySet().iterator();
        for (int i = 0; a.hasNext(); i++) {
            Map.Entry<String, Object> x = a.next();
            Map.Entry<String, Object> y = b.next();
            assertThat(x).isEqualTo(y);
            if (i % 3 == 0) {
                a.remove();
                b.remove();
            } else {
                String v = i % 5 == 0 ? null : "set" + i;
                x.setValue(v);
                y.setValue(v);
            }
        }
        assertThat(b.hasNext()).isFalse();
    }

    @Test
    void keepsAReplacedFieldInItsPlaceAndSaysAChangeDuringIteration() {
        FieldMap m = new FieldMap();
        m.put("a", 1);
        m.put("b", 2);
        m.put("a", 3);
        assertThat(m.keySet()).containsExactly("a", "b");
        assertThat(m.get("a")).isEqualTo(3);
        assertThatThrownBy(() -> m.forEach((k, v) -> m.put(k + "x", v))).isInstanceOf(ConcurrentModificationException.class);
    }

    @Test
    void leavesNullValuedFieldsOutOfItsNullFreeCopy() {
        FieldMap m = new FieldMap();
        m.put("a", 1);
        m.put("b", null);
        m.put("c", 3);
        assertThat(m.hasNullValue()).isTrue();
        assertThat(m.withoutNullValues()).containsExactly(Map.entry("a", 1), Map.entry("c", 3));
    }
}
