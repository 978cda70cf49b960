package caravan.enrich.ua;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * YAUAA's path index, read-only, in a few arrays instead of 200,000 strings and map entries. A path
 * such as {@code agent.(1)product.(1)name="chrome"} splits at its first {@code =} into a tree path
 * (40,000 distinct ones) and a value (660): each part is kept once, as Latin-1 bytes, and a key is the
 * pair of their numbers. The strings and entries took 31 MB of the matchers' heap; this takes about
 * 8 (BENCHMARKS.md "Memory").
 *
 * <p>YAUAA only calls {@link #get}, {@link #size} and {@link #clear} on it once its matchers are
 * initialised. A key with a character above U+00FF is kept in an ordinary map beside the arrays.
 */
final class PathIndex extends AbstractMap<String, Object> {
    private Names heads;
    private Names tails;
    /** Per entry: its tree path's number, high, and its value's number plus one, low (0: no value). */
    private long[] keys;
    private Object[] values;
    /** Open addressing over {@link #keys}: entry number plus one, 0 for an empty slot. */
    private int[] slots;
    private Map<String, Object> others;

    private PathIndex(Names heads, Names tails, long[] keys, Object[] values, Map<String, Object> others) {
        this.heads = heads;
        this.tails = tails;
        this.keys = keys;
        this.values = values;
        this.others = others;
        this.slots = new int[tableSize(keys.length)];
        for (int e = 0; e < keys.length; e++) {
            int i = mix(keys[e]) & (slots.length - 1);
            while (slots[i] != 0) {
                i = (i + 1) & (slots.length - 1);
            }
            slots[i] = e + 1;
        }
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
        return new PathIndex(heads.build(), tails.build(), keys.stream().mapToLong(Long::longValue).toArray(),
                values.toArray(), others);
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String path)) {
            return null;
        }
        int eq = path.indexOf('=');
        int head = heads.find(path, 0, eq < 0 ? path.length() : eq);
        int tail = eq < 0 || head < 0 ? -1 : tails.find(path, eq, path.length());
        if (head < 0 || (eq >= 0 && tail < 0)) {
            return others.isEmpty() ? null : others.get(path);
        }
        long k = (long) head << 32 | (tail + 1L);
        for (int i = mix(k) & (slots.length - 1); slots[i] != 0; i = (i + 1) & (slots.length - 1)) {
            if (keys[slots[i] - 1] == k) {
                return values[slots[i] - 1];
            }
        }
        return others.isEmpty() ? null : others.get(path);
    }

    /** YAUAA's sets are never null, so a key is there when it has a value (AbstractMap's would walk every entry). */
    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return keys.length + others.size();
    }

    /** YAUAA's {@code destroy} clears the index. */
    @Override
    public void clear() {
        heads = Names.EMPTY;
        tails = Names.EMPTY;
        keys = new long[0];
        values = new Object[0];
        slots = new int[1];
        others = new HashMap<>();
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
                List<Map.Entry<String, Object>> all = new ArrayList<>(size());
                for (int e = 0; e < keys.length; e++) {
                    int tail = (int) keys[e];
                    String path = heads.name((int) (keys[e] >>> 32)) + (tail == 0 ? "" : tails.name(tail - 1));
                    all.add(new SimpleImmutableEntry<>(path, values[e]));
                }
                others.forEach((k, v) -> all.add(new SimpleImmutableEntry<>(k, v)));
                return all.iterator();
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
                index.heads.write(out);
                index.tails.write(out);
                out.writeVarInt(index.keys.length, true);
                out.writeLongs(index.keys, 0, index.keys.length);
                for (Object v : index.values) {
                    k.writeClassAndObject(out, v);
                }
                out.writeVarInt(index.others.size(), true);
                index.others.forEach((key, v) -> {
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
                return new PathIndex(heads, tails, keys, values, others);
            }
        });
    }
}
