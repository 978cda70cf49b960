package caravan.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The extra fields of a {@link LogEvent}: a map in insertion order kept in three parallel arrays
 * (names, their hashes, values) rather than a {@code LinkedHashMap}'s node per entry.
 *
 * <p>An enriched access-log event gets some twenty fields, one {@code put} at a time, and is written
 * once. A node per field and a table resize on the way were a tenth of the index chain's CPU; here a
 * put is a scan of a few ints and a store, and the JSON writer reads the arrays as they are. Past
 * {@value #LINEAR} fields (JSON logs with many keys) an open-addressing index keeps lookups O(1).
 *
 * <p>Same contract as {@code LinkedHashMap} in insertion order: replacing a value keeps the field's
 * place, a removal closes the gap. Not thread-safe.
 */
public final class FieldMap extends AbstractMap<String, Object> {
    /** Up to this many fields a lookup scans the hashes; beyond it the index is used. */
    private static final int LINEAR = 16;

    private String[] names;
    private int[] hashes;
    private Object[] values;
    private int size;
    /** How many values are null (only a direct {@code fields().put} stores one): the writer skips them. */
    private int nulls;
    /** Positions + 1 by hash, open addressing; null while {@link #size} ≤ {@link #LINEAR}. */
    private int[] index;
    private int modCount;

    public FieldMap() {
        this(24);
    }

    public FieldMap(int capacity) {
        int c = Math.max(4, capacity);
        names = new String[c];
        hashes = new int[c];
        values = new Object[c];
    }

    private static int hash(Object name) {
        return name == null ? 0 : name.hashCode();
    }

    private int find(Object name) {
        int h = hash(name);
        if (index == null) {
            int[] hs = hashes;
            for (int i = 0; i < size; i++) {
                if (hs[i] == h && Objects.equals(names[i], name)) {
                    return i;
                }
            }
            return -1;
        }
        int mask = index.length - 1;
        for (int slot = spread(h) & mask; ; slot = slot + 1 & mask) {
            int p = index[slot] - 1;
            if (p < 0) {
                return -1;
            }
            if (hashes[p] == h && Objects.equals(names[p], name)) {
                return p;
            }
        }
    }

    private static int spread(int h) {
        return h ^ h >>> 16;
    }

    @Override
    public Object put(String name, Object value) {
        int i = find(name);
        if (i >= 0) {
            Object old = values[i];
            set(i, value);
            return old;
        }
        if (size == names.length) {
            int c = size * 2;
            names = Arrays.copyOf(names, c);
            hashes = Arrays.copyOf(hashes, c);
            values = Arrays.copyOf(values, c);
        }
        names[size] = name;
        hashes[size] = hash(name);
        values[size] = value;
        nulls += value == null ? 1 : 0;
        size++;
        modCount++;
        if (index != null && size * 2 <= index.length) {
            insert(index, size - 1);
        } else if (size > LINEAR) {
            reindex();
        }
        return null;
    }

    private void set(int i, Object value) {
        nulls += (value == null ? 1 : 0) - (values[i] == null ? 1 : 0);
        values[i] = value;
    }

    private void insert(int[] table, int p) {
        int mask = table.length - 1;
        int slot = spread(hashes[p]) & mask;
        while (table[slot] != 0) {
            slot = slot + 1 & mask;
        }
        table[slot] = p + 1;
    }

    private void reindex() {
        if (size <= LINEAR) {
            index = null;
            return;
        }
        int[] table = new int[Integer.highestOneBit(size * 4 - 1)];
        for (int p = 0; p < size; p++) {
            insert(table, p);
        }
        index = table;
    }

    @Override
    public Object get(Object name) {
        int i = find(name);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object name) {
        return find(name) >= 0;
    }

    @Override
    public Object remove(Object name) {
        int i = find(name);
        if (i < 0) {
            return null;
        }
        Object old = values[i];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        nulls -= values[i] == null ? 1 : 0;
        int tail = size - i - 1;
        System.arraycopy(names, i + 1, names, i, tail);
        System.arraycopy(hashes, i + 1, hashes, i, tail);
        System.arraycopy(values, i + 1, values, i, tail);
        size--;
        names[size] = null;
        values[size] = null;
        modCount++;
        reindex();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        nulls = 0;
        index = null;
        modCount++;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        int expected = modCount;
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
        }
    }

    /** The names in insertion order, in the first {@link #size()} slots: read-only, for the JSON writer. */
    String[] nameArray() {
        return names;
    }

    /** The names' hashes, in the same slots as {@link #nameArray()}: read-only. */
    int[] hashArray() {
        return hashes;
    }

    /** Whether a field holds null (only a direct {@code fields().put} can store one). */
    boolean hasNullValue() {
        return nulls > 0;
    }

    /** A copy without the null-valued fields. */
    FieldMap withoutNullValues() {
        FieldMap m = new FieldMap(size);
        for (int i = 0; i < size; i++) {
            if (values[i] != null) {
                m.put(names[i], values[i]);
            }
        }
        return m;
    }

    /** The values, in the same slots as {@link #nameArray()}: read-only. */
    Object[] valueArray() {
        return values;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Entries();
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public void clear() {
                FieldMap.this.clear();
            }
        };
    }

    private final class Entries implements Iterator<Entry<String, Object>> {
        private int next;
        private int last = -1;
        private int expected = modCount;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public Entry<String, Object> next() {
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
            if (next >= size) {
                throw new NoSuchElementException();
            }
            last = next++;
            return new Field(last);
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException();
            }
            if (modCount != expected) {
                throw new ConcurrentModificationException();
            }
            removeAt(last);
            next = last;
            last = -1;
            expected = modCount;
        }
    }

    /** One field as a map entry, writing through to the arrays. */
    private final class Field extends SimpleEntry<String, Object> {
        private static final long serialVersionUID = 1L;
        private final int at;

        Field(int at) {
            super(names[at], values[at]);
            this.at = at;
        }

        @Override
        public Object setValue(Object value) {
            if (at < size && names[at] == getKey()) {
                set(at, value);
            } else {
                put(getKey(), value); // the map changed under this entry: still write through
            }
            return super.setValue(value);
        }
    }
}
