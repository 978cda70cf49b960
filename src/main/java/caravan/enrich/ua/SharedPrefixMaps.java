package caravan.enrich.ua;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.basjes.collections.PrefixMap;

/**
 * One prefix trie per distinct lookup instead of one per matcher step. YAUAA builds a trie of a lookup's
 * prefixes for every step that looks a value up by prefix: 88 tries in its matchers, of only 24
 * distinct contents, the device brands' 23 times over. The tries are read-only once the matchers are
 * built, so steps whose tries answer alike (same class, case rule and value for every key) can share one.
 *
 * <p>It runs when the jar is packaged, before the snapshot is written (Kryo keeps the sharing: YAUAA
 * sets it to track references), so a start from the jar's snapshot pays nothing for it.
 */
final class SharedPrefixMaps {
    /** YAUAA's own classes, not the libraries it shades. */
    private static final String YAUAA = "nl.basjes.parse.useragent.";

    private SharedPrefixMaps() {
    }

    /**
     * Walks YAUAA's own objects from {@code root} (their fields, and the elements of the collections,
     * maps and arrays they hold) and points every prefix-map field at the first equal trie seen.
     *
     * @return the number of fields that now share a trie built for another step
     */
    static int share(Object root) throws ReflectiveOperationException {
        Map<List<Object>, Object> firsts = new HashMap<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object> todo = new ArrayDeque<>();
        todo.add(root);
        seen.add(root);
        int shared = 0;
        while (!todo.isEmpty()) {
            Object o = todo.poll();
            if (o instanceof PrefixMap<?> || o instanceof PathIndex) {
                continue; // a trie reached through a collection is left as it is; the index's actions are the matchers'
            }
            if (o instanceof Object[] array) {
                add(todo, seen, Arrays.asList(array));
            } else if (o instanceof Map<?, ?> map) {
                add(todo, seen, map.values());
            } else if (o instanceof Collection<?> c) {
                add(todo, seen, c);
            } else if (o.getClass().getName().startsWith(YAUAA) && !(o instanceof Enum<?>)) {
                shared += fields(o, firsts, todo, seen);
            }
        }
        return shared;
    }

    private static int fields(Object o, Map<List<Object>, Object> firsts, ArrayDeque<Object> todo, Set<Object> seen)
            throws ReflectiveOperationException {
        int shared = 0;
        for (Class<?> c = o.getClass(); c != null && c.getName().startsWith(YAUAA); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                f.setAccessible(true);
                Object value = f.get(o);
                if (value instanceof PrefixMap<?> trie) {
                    Object first = firsts.computeIfAbsent(contents(trie), k -> trie);
                    if (first != trie) {
                        f.set(o, first);
                        shared++;
                    }
                } else if (value != null) {
                    add(todo, seen, List.of(value));
                }
            }
        }
        return shared;
    }

    /** What makes two tries answer alike: their class, case rule and the value of every key. */
    private static List<Object> contents(PrefixMap<?> trie) throws ReflectiveOperationException {
        Object caseSensitive;
        try {
            caseSensitive = MatcherIndex.field(trie, "caseSensitive");
        } catch (NoSuchFieldException e) {
            caseSensitive = null;
        }
        if (caseSensitive == null) { // not laid out as known: unique, so never shared
            return List.of(new Object());
        }
        Map<String, Object> answers = new HashMap<>(); // each key as the trie answers it, not as its entry list says
        for (String key : trie.keySet()) {
            answers.put(key, trie.get(key));
        }
        return List.of(trie.getClass(), caseSensitive, answers);
    }

    private static void add(ArrayDeque<Object> todo, Set<Object> seen, Collection<?> values) {
        for (Object v : values) {
            if (v != null && !(v instanceof Class) && !(v instanceof String) && seen.add(v)) {
                todo.add(v);
            }
        }
    }
}
