package caravan.event;

import java.util.Arrays;

/**
 * How {@link EcsJsonWriter} writes the documents of one set of field names: for each field, in name
 * order, where its value comes from and the bytes that go before it (commas, closing braces, the
 * objects it opens, its own escaped name, and {@code {"_value":} when it is itself a parent), and
 * the closing bytes at the end. Worked out once per set of names (events of one source share it).
 */
final class DocumentLayout {
    private static final byte[] VALUE = JsonBytes.name("_value");
    private static final int MAX_DEPTH = 32;
    /** Fewer neighbouring map fields than this are written one by one: comparing would not pay. */
    private static final int MIN_RUN = 2;

    /** Which typed members of the event are present, one bit per {@link EcsJsonWriter#TYPED} entry. */
    final int mask;
    /** The names of the event's field map, in its order. */
    private final String[] mapNames;
    final int hash;
    /**
     * Per field in document order, where its value is: a typed member's index in
     * {@link EcsJsonWriter#TYPED}, or that table's length plus its index in the field map.
     */
    final int[] source;
    final byte[][] prefix;
    final byte[] suffix;
    /**
     * Per position: where the run of map fields that starts there ends (exclusive), or 0. A run's
     * bytes (prefixes and values) are kept from the last event of this layout and copied as one
     * when every value is the same object as then: an enricher's result comes from its cache, so a
     * client's next request puts the very same strings (its city, its browser) into the map.
     */
    int[] runEnd;
    /** Positions whose value was once not of an immutable type: never part of a run. */
    private final boolean[] excluded;
    /** Per run position: the value written there last; per run start: the bytes written for the run. */
    private final Object[] lastValue;
    private final byte[][] runBytes;
    private final int[] runLength;

    private DocumentLayout(int mask, String[] mapNames, int hash, int[] source, byte[][] prefix, byte[] suffix) {
        this.mask = mask;
        this.mapNames = mapNames;
        this.hash = hash;
        this.source = source;
        this.prefix = prefix;
        this.suffix = suffix;
        int n = source.length;
        this.excluded = new boolean[n];
        this.lastValue = new Object[n];
        this.runBytes = new byte[n][];
        this.runLength = new int[n];
        this.runEnd = runs();
    }

    /** Runs of at least {@value #MIN_RUN} neighbouring map fields, skipping excluded positions. */
    private int[] runs() {
        int n = source.length;
        int[] end = new int[n];
        for (int k = 0; k < n; ) {
            int e = k;
            while (e < n && source[e] >= EcsJsonWriter.TYPED.length && !excluded[e]) {
                e++;
            }
            if (e - k >= MIN_RUN) {
                end[k] = e;
            }
            k = Math.max(e, k + 1);
        }
        return end;
    }

    /** Whether the run {@code [k, end)} has bytes kept and every value is the object written then. */
    boolean sameAsKept(int k, int end, Object[] mapValues) {
        if (runBytes[k] == null) {
            return false;
        }
        for (int i = k; i < end; i++) {
            if (mapValues[source[i] - EcsJsonWriter.TYPED.length] != lastValue[i]) {
                return false;
            }
        }
        return true;
    }

    byte[] keptBytes(int k) {
        return runBytes[k];
    }

    int keptLength(int k) {
        return runLength[k];
    }

    /**
     * Keeps the run's values and the bytes just written for it, or, when a value may change behind
     * its reference (a map, a list, anything not known to be immutable), takes that position out of
     * runs for good and keeps nothing.
     */
    void keep(int k, int end, Object[] mapValues, JsonBytes out, int from) {
        for (int i = k; i < end; i++) {
            Object v = mapValues[source[i] - EcsJsonWriter.TYPED.length];
            if (!immutable(v)) {
                excluded[i] = true;
                Arrays.fill(runBytes, null);
                runEnd = runs();
                return;
            }
            lastValue[i] = v;
        }
        runBytes[k] = out.copyFrom(from, runBytes[k]);
        runLength[k] = out.size() - from;
    }

    /** Values whose bytes cannot change while the reference stays the same (final, immutable classes). */
    private static boolean immutable(Object v) {
        return FixedMap.plain(v) || v instanceof FixedMap m && m.plainValues();
    }

    /** Whether this is the layout of typed members {@code m} and map names {@code other[0..n)}. */
    boolean matches(int m, String[] other, int n) {
        if (m != mask || n != mapNames.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (mapNames[i] != other[i] && !mapNames[i].equals(other[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The layout of an event with the typed members of {@code mask} and the map names
     * {@code mapNames[0..n)}: all names are the typed ones in {@link EcsJsonWriter#TYPED} order,
     * then the map's, so that a stable sort keeps a map field after a typed one of the same name.
     */
    static DocumentLayout of(int mask, String[] mapNames, int n, int hash) {
        String[] own = Arrays.copyOf(mapNames, n);
        String[] names = new String[Integer.bitCount(mask) + n];
        int[] sourceOf = new int[names.length];
        int c = 0;
        for (int t = 0; t < EcsJsonWriter.TYPED.length; t++) {
            if ((mask & 1 << t) != 0) {
                sourceOf[c] = t;
                names[c++] = EcsJsonWriter.TYPED[t];
            }
        }
        for (int i = 0; i < n; i++) {
            sourceOf[c] = EcsJsonWriter.TYPED.length + i;
            names[c++] = own[i];
        }
        return of(mask, own, hash, names, sourceOf);
    }

    private static DocumentLayout of(int mask, String[] own, int hash, String[] names, int[] sourceOf) {
        int n = names.length;
        int[] order = sortedOrder(names);
        byte[][] prefix = new byte[n][];
        String[] opened = new String[MAX_DEPTH];
        int depth = 0;
        boolean comma = false; // a member was written at the current depth
        JsonBytes b = new JsonBytes(64);
        for (int k = 0; k < n; k++) {
            b.reset();
            String name = names[order[k]];
            String[] parts = split(name);
            boolean isParent = k + 1 < n && isChild(names[order[k + 1]], name);
            int common = 0;
            while (common < depth && common < parts.length - 1 && opened[common].equals(parts[common])) {
                common++;
            }
            for (; depth > common; depth--) {
                b.raw((byte) '}');
                comma = true;
            }
            int opens = Math.max(0, Math.min(parts.length - 1, MAX_DEPTH) - depth);
            for (int o = 0; o < opens; o++) {
                member(b, comma, parts[depth]);
                b.raw((byte) '{');
                comma = false;
                opened[depth] = parts[depth];
                depth++;
            }
            String last = parts[parts.length - 1];
            member(b, comma, last);
            if (isParent && depth < MAX_DEPTH) {
                b.raw((byte) '{');
                b.raw(VALUE);
                opened[depth++] = last;
            }
            comma = true; // the value follows
            prefix[k] = b.toByteArray();
        }
        b.reset();
        for (; depth >= 0; depth--) {
            b.raw((byte) '}');
        }
        int[] source = new int[n];
        for (int k = 0; k < n; k++) {
            source[k] = sourceOf[order[k]];
        }
        return new DocumentLayout(mask, own, hash, source, prefix, b.toByteArray());
    }

    private static void member(JsonBytes b, boolean comma, String name) {
        if (comma) {
            b.raw((byte) ',');
        }
        b.raw(JsonBytes.name(name));
    }

    /**
     * Field indices in name order. An insertion sort: an event has a few dozen fields, and it is
     * stable, so for a duplicate name the later value (an enricher's) follows and is kept by ES.
     */
    private static int[] sortedOrder(String[] names) {
        int n = names.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            int j = i;
            String name = names[i];
            while (j > 0 && names[order[j - 1]].compareTo(name) > 0) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        return order;
    }

    private static String[] split(String dotted) {
        if (dotted.indexOf('.') < 0 || dotted.equals("@timestamp")) {
            return new String[] {dotted};
        }
        return dotted.split("\\.", -1);
    }

    /** {@code candidate} is {@code parent + "." + something}, without building that string. */
    static boolean isChild(String candidate, String parent) {
        return candidate.length() > parent.length() + 1 && candidate.charAt(parent.length()) == '.'
                && candidate.startsWith(parent);
    }
}
