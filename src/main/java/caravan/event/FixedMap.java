package caravan.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map of a few entries, in the order given: a structured field value such as a
 * {@code geo_point}'s {@code lat} and {@code lon}. Unlike an unmodifiable view, nothing can change
 * it behind its reference, so {@link EcsJsonWriter} may keep its bytes while an enricher's cache
 * hands out the same map again (BENCHMARKS.md, "The GeoIP point kept as bytes").
 */
public final class FixedMap extends AbstractMap<String, Object> {
    private final String[] keys;
    private final Object[] values;
    private final boolean plainValues;

    private FixedMap(String[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
        boolean plain = true;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null || values[i] == null) {
                throw new NullPointerException("a FixedMap holds no null key or value");
            }
            plain &= plain(values[i]);
        }
        this.plainValues = plain;
    }

    public static FixedMap of(String k1, Object v1, String k2, Object v2) {
        if (k1.equals(k2)) {
            throw new IllegalArgumentException("duplicate key " + k1);
        }
        return new FixedMap(new String[] {k1, k2}, new Object[] {v1, v2});
    }

    /** Whether every value is of an immutable class too (a string, a boxed number, a boolean). */
    boolean plainValues() {
        return plainValues;
    }

    static boolean plain(Object v) {
        return v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof Double;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public Object get(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return Arrays.asList(keys).contains(key);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < keys.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (i >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Object> e = new SimpleImmutableEntry<>(keys[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
