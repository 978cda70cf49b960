package caravan.enrich.ua;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * YAUAA's path index, read-only, in a few arrays instead of 200,000 strings and map entries. A path
 * such as {@code agent.(1)product.(1)name="chrome"} splits at its first {@code =} into a tree path
 * (40,000 distinct ones) and a value (660): each part is kept once, as Latin-1 bytes, and a key is the
 * pair of their numbers. The strings, entries and table took 31 MB of the matchers' heap; these arrays
 * take about 8, beside the 4 MB of sets (BENCHMARKS.md "Memory").
 *
 * <p>YAUAA only calls {@link #get}, {@link #size} and {@link #clear} on it once its matchers are
 * initialised. A key with a character above U+00FF is kept in an ordinary map beside the arrays.
 */
final class PathIndex extends AbstractMap<String, Object> {
    /** Swapped whole by {@link #clear}, so a lookup running meanwhile sees either table, never a mix. */
    private Table table;

    /**
     * @param keys   per entry: its tree path's number, high, and its value's number plus one, low (0: no value)
     * @param slots  open addressing over {@code keys}: entry number plus one, 0 for an empty slot
     * @param others the keys outside Latin-1
     */
    private record Table(Names heads, Names tails, long[] keys, Object[] values, int[] slots, Map<String, Object> others) {
        static final Table EMPTY = of(Names.EMPTY, Names.EMPTY, new long[0], new Object[0], Map.of());

        static Table of(Names heads, Names tails, long[] keys, Object[] values, Map<String, Object> others) {
            int[] slots = new int[tableSize(keys.length)];
            for (int e = 0; e < keys.length; e++) {
                int i = mix(keys[e]) & (slots.length - 1);
                while (slots[i] != 0) {
                    i = (i + 1) & (slots.length - 1);
                }
                slots[i] = e + 1;
            }
            return new Table(heads, tails, keys, values, slots, others);
        }
    }

    private PathIndex(Table table) {
        this.table = table;
    }

    /** The same entries as {@code index}, which must not hold null keys. */
    static PathIndex of(Map<String, ?> index) {
        Names.Builder heads = new Names.Builder();
        Names.Builder tails = new Names.Builder();
        List<Long> keys = new ArrayList<>(index.size());
        List<Object> values = new ArrayList<>(index.size());
        Map<String, Object> others = new HashMap<>();
        for (Map.Entry<String, ?> e : index.entrySet()) {
            String path = e.getKey();
            if (!Names.latin1(path, 0, path.length())) {
                others.put(path, e.getValue());
                continue;
            }
            int eq = path.indexOf('=');
            long head = heads.add(path.substring(0, eq < 0 ? path.length() : eq));
            long tail = eq < 0 ? 0 : tails.add(path.substring(eq)) + 1;
            keys.add(head << 32 | tail);
            values.add(e.getValue());
        }
        return new PathIndex(Table.of(heads.build(), tails.build(), keys.stream().mapToLong(Long::longValue).toArray(),
                values.toArray(), others));
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String path)) {
            return null;
        }
        Table t = table;
        int eq = path.indexOf('=');
        int head = t.heads.find(path, 0, eq < 0 ? path.length() : eq);
        int tail = eq < 0 || head < 0 ? -1 : t.tails.find(path, eq, path.length());
        if (head < 0 || (eq >= 0 && tail < 0)) {
            return t.others.get(path); // a part outside Latin-1 is in no name
        }
        long k = (long) head << 32 | (tail + 1L);
        for (int i = mix(k) & (t.slots.length - 1); t.slots[i] != 0; i = (i + 1) & (t.slots.length - 1)) {
            if (t.keys[t.slots[i] - 1] == k) {
                return t.values[t.slots[i] - 1];
            }
        }
        return null;
    }

    /** YAUAA's sets are never null, so a key is there when it has a value (AbstractMap's would walk every entry). */
    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        Table t = table;
        return t.keys.length + t.others.size();
    }

    /** YAUAA's {@code destroy} clears the index. */
    @Override
    public void clear() {
        table = Table.EMPTY;
    }

    /** The entries, their keys made again (for equality, printing and tests; YAUAA does not iterate it). */
    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return PathIndex.this.size();
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                Table t = table;
                List<Map.Entry<String, Object>> all = new ArrayList<>(t.keys.length + t.others.size());
                for (int e = 0; e < t.keys.length; e++) {
                    int tail = (int) t.keys[e];
                    String path = t.heads.name((int) (t.keys[e] >>> 32)) + (tail == 0 ? "" : t.tails.name(tail - 1));
                    all.add(new SimpleImmutableEntry<>(path, t.values[e]));
                }
                t.others.forEach((k, v) -> all.add(new SimpleImmutableEntry<>(k, v)));
                return Collections.unmodifiableList(all).iterator(); // read-only: a removal must not seem to work
            }
        };
    }

    private static int tableSize(int n) {
        return Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1; // at most half full
    }

    private static int mix(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Lets Kryo write and read the index as its arrays; the values go through Kryo, so shared ones stay shared. */
    static void register(Kryo kryo) {
        kryo.register(PathIndex.class, new Serializer<PathIndex>(false, true) {
            @Override
            public void write(Kryo k, Output out, PathIndex index) {
                Table t = index.table;
                t.heads.write(out);
                t.tails.write(out);
                out.writeVarInt(t.keys.length, true);
                out.writeLongs(t.keys, 0, t.keys.length);
                for (Object v : t.values) {
                    k.writeClassAndObject(out, v);
                }
                out.writeVarInt(t.others.size(), true);
                t.others.forEach((key, v) -> {
                    out.writeString(key);
                    k.writeClassAndObject(out, v);
                });
            }

            @Override
            public PathIndex read(Kryo k, Input in, Class<? extends PathIndex> type) {
                Names heads = Names.read(in);
                Names tails = Names.read(in);
                long[] keys = in.readLongs(in.readVarInt(true));
                Object[] values = new Object[keys.length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = k.readClassAndObject(in);
                }
                Map<String, Object> others = new HashMap<>();
                for (int n = in.readVarInt(true); n > 0; n--) {
                    others.put(in.readString(), k.readClassAndObject(in));
                }
                return new PathIndex(Table.of(heads, tails, keys, values, others));
            }
        });
    }
}
