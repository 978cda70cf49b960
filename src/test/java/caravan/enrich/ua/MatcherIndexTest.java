package caravan.enrich.ua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.junit.jupiter.api.Test;

class MatcherIndexTest {
    /**
     * Built matchers have some 200,000 sets to replace, once; the jar's snapshot has none left (the build
     * compacted it). {@code AnalyzerSnapshotTest} checks that the snapshot answers every corpus user agent as
     * freshly built, uncompacted matchers do.
     */
    @Test
    void theBuildCompactsTheMatchersOnceAndTheJarHoldsThemCompacted() throws ReflectiveOperationException {
        UserAgentAnalyzer built = AnalyzerSnapshot.build();
        assertTrue(SharedPrefixMaps.share(built) > 50, "YAUAA 8 builds 88 prefix tries of 24 contents");
        int replaced = MatcherIndex.compact(built);
        assertTrue(replaced > 150_000, "YAUAA 8's index has some 200,000 sets; replaced " + replaced);
        assertEquals(0, MatcherIndex.compact(built), "a compacted index has no LinkedHashSet left");
        UserAgentAnalyzer fromJar = AnalyzerSnapshot.fromJar().orElseThrow();
        assertEquals(0, MatcherIndex.compact(fromJar), "the jar's snapshot is compacted");
        assertInstanceOf(PathIndex.class, pathIndex(built), "the path index is packed");
        assertInstanceOf(PathIndex.class, pathIndex(fromJar), "the jar's snapshot holds the packed path index");
        assertTrue(pathIndex(fromJar).size() > 150_000, "YAUAA 8's index has some 200,000 paths");
        assertEquals(0, SharedPrefixMaps.share(built), "equal prefix tries are shared once compacted");
        assertEquals(0, SharedPrefixMaps.share(fromJar), "the jar's snapshot keeps the tries shared");
        assertEquals("Chrome", built.parse("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36").getValue("AgentName"));
    }

    private static Map<?, ?> pathIndex(UserAgentAnalyzer analyzer) throws ReflectiveOperationException {
        return (Map<?, ?>) read(read(analyzer, "matchMaker"), "informMatcherActions");
    }

    private static Object read(Object of, String name) throws ReflectiveOperationException {
        for (Class<?> c = of.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    f.setAccessible(true);
                    return f.get(of);
                }
            }
        }
        throw new NoSuchFieldException(name);
    }

    /** Kryo reads both small sets back in their order, with shared elements still shared. */
    @Test
    void theSmallSetsSurviveKryo() {
        Kryo kryo = new Kryo();
        kryo.setReferences(true);
        kryo.register(java.util.ArrayList.class);
        MatcherIndex.register(kryo);
        String shared = new String("shared");
        List<Object> graph = new ArrayList<>(List.of(new MatcherIndex.FrozenSet<>(List.of("c", shared, "b")),
                Collections.singleton(shared)));
        Output out = new Output(1024, -1);
        kryo.writeClassAndObject(out, graph);
        @SuppressWarnings("unchecked")
        List<Set<String>> back = (List<Set<String>>) kryo.readClassAndObject(new Input(out.toBytes()));
        assertEquals(List.of("c", "shared", "b"), new ArrayList<>(back.get(0)));
        assertInstanceOf(MatcherIndex.FrozenSet.class, back.get(0));
        assertSame(new ArrayList<>(back.get(0)).get(1), back.get(1).iterator().next());
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
