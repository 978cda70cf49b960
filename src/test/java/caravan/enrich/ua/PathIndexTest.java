package caravan.enrich.ua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PathIndexTest {
    private static final String[] HEADS = {
        "agent.(1)product.(1)name", "agent.(1)product.(1)comments.(2)entry[1-1]", "agent.(2)product.(1)version", "", "a",
    };
    private static final String[] TAILS = {"=\"chrome\"", "=\"windows\"", "=\"a=b\"", "=", "=\"ünïcödé\""};

    /** Keys like YAUAA's, and the same strings cut, joined and changed: the index answers exactly as the map does. */
    @Test
    void answersEveryKeyAndNothingElseAsTheMapDoes() {
        Random random = new Random(42);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < 5_000; i++) {
            String key = HEADS[random.nextInt(HEADS.length)] + random.nextInt(300)
                    + (random.nextInt(5) == 0 ? "" : TAILS[random.nextInt(TAILS.length)] + random.nextInt(20));
            map.put(key, "value " + i);
        }
        map.put("agent.(1)product.(1)name=\"Яндекс\"", "outside Latin-1");
        map.put("agent.(3)product\u0100", "outside Latin-1, no value");
        PathIndex index = PathIndex.of(map);
        assertEquals(map.size(), index.size());
        for (Map.Entry<String, Object> e : map.entrySet()) {
            assertSame(e.getValue(), index.get(new String(e.getKey())), e.getKey());
            String changed = e.getKey() + "x";
            assertEquals(map.get(changed), index.get(changed), changed);
            String cut = e.getKey().substring(0, e.getKey().length() - 1);
            assertEquals(map.get(cut), index.get(cut), cut);
            String noValue = e.getKey().contains("=") ? e.getKey().substring(0, e.getKey().indexOf('=')) : e.getKey() + "=";
            assertEquals(map.get(noValue), index.get(noValue), noValue);
        }
        for (int i = 0; i < 20_000; i++) { // pairs of a known tree path and a known value that were never keys
            String probe = HEADS[random.nextInt(HEADS.length)] + random.nextInt(300) + TAILS[random.nextInt(TAILS.length)] + random.nextInt(20);
            assertEquals(map.get(probe), index.get(probe), probe);
        }
        assertNull(index.get(42));
        assertEquals(new HashMap<>(map), new HashMap<>(index), "the entries made again are the map's");
    }

    @Test
    void clearEmptiesIt() {
        PathIndex index = PathIndex.of(Map.of("a=\"b\"", 1, "c", 2, "d\u0101", 3));
        assertTrue(index.containsKey("c"));
        index.clear();
        assertEquals(0, index.size());
        assertNull(index.get("a=\"b\""));
        assertFalse(index.containsKey("d\u0101"));
    }

    /** Kryo writes the arrays and reads back an index with the same answers, its shared values still shared. */
    @Test
    void survivesKryo() {
        Kryo kryo = new Kryo();
        kryo.setReferences(true);
        kryo.register(StringBuilder.class);
        MatcherIndex.register(kryo);
        StringBuilder shared = new StringBuilder("shared");
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("agent.(1)product.(1)name=\"chrome\"", shared);
        map.put("agent.(1)product.(1)name", new StringBuilder("head only"));
        map.put("x=\"ünï\"", shared);
        map.put("x=\"Ω\"", new StringBuilder("outside Latin-1"));
        Output out = new Output(1024, -1);
        kryo.writeClassAndObject(out, PathIndex.of(map));
        PathIndex back = assertInstanceOf(PathIndex.class, kryo.readClassAndObject(new Input(out.toBytes())));
        assertEquals(map.size(), back.size());
        map.forEach((k, v) -> assertEquals(v.toString(), String.valueOf(back.get(k)), k));
        assertSame(back.get("x=\"ünï\""), back.get("agent.(1)product.(1)name=\"chrome\""));
        assertNull(back.get("x=\"chrome\""));
        back.clear();
        Output emptied = new Output(64, -1);
        kryo.writeClassAndObject(emptied, back);
        PathIndex none = assertInstanceOf(PathIndex.class, kryo.readClassAndObject(new Input(emptied.toBytes())));
        assertEquals(0, none.size());
        assertNull(none.get("x=\"chrome\""));
    }
}
