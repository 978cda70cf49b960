package caravan.enrich.crs;

import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Function;

/**
 * One request's values by content, each with its {@link Slot}: rules share transformation chains,
 * so each value is transformed and prefiltered once per chain, and its cached verdicts looked up once.
 * An engine keeps one per thread ({@link #start}, {@link #finish}): the table, the slots and their
 * per-chain arrays serve request after request instead of being made anew for each.
 */
final class ValueSlots {
    /** A table grown past this (a request with many distinct values) is not kept for the next request. */
    private static final int LARGEST_KEPT = 256;

    /** Open addressing by the value's hash (a few dozen values per request: no map entry made per value). */
    private String[] values = new String[32];
    /** By place in the table; a slot at an empty place is a cleared one kept for reuse, or null. */
    private Slot[] slots = new Slot[32];
    private int size;
    private final Prefilter prefilter;
    private final int chains;
    /** The engine's cache of verdicts by value; null when nothing is cached. */
    private Function<String, ValueMemo> memos;
    /** Between {@link #start} and {@link #finish}. */
    private boolean inUse;

    /** An empty table that caches no verdicts until {@link #start}. */
    ValueSlots(CrsRuleSet rules) {
        this.prefilter = rules.prefilter;
        this.chains = rules.chains;
    }

    /** Whether this table, taken from its thread, may serve a request: it is free and not oversized. */
    boolean reusable() {
        return !inUse && values.length <= LARGEST_KEPT;
    }

    /** Takes this (empty) table for one request, with the engine's cache of verdicts. */
    void start(Function<String, ValueMemo> memos) {
        this.memos = memos;
        inUse = true;
    }

    /** Empties the table after a request, keeping its arrays and slots but none of the request's values. */
    void finish() {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                values[i] = null;
                slots[i].clear();
            }
        }
        size = 0;
        memos = null;
        inUse = false;
    }

    /** One value's state in this request: its shared verdicts, its transformed forms, its prefilter scans. */
    static final class Slot {
        ValueMemo memo;
        /** By chain, made on first use: most values of a request are only looked up in the cache. */
        String[] transformed;
        BitSet[] candidates;
        /** Whether this request wrote to the arrays above: kept from earlier requests, they are cleared only then. */
        private boolean written;

        private void clear() {
            memo = null;
            if (written) {
                written = false;
                if (transformed != null) {
                    Arrays.fill(transformed, null);
                }
                if (candidates != null) {
                    Arrays.fill(candidates, null);
                }
            }
        }
    }

    /** The state of {@code value} in this request; values repeat across variables and rules. */
    Slot slot(String value) {
        int mask = values.length - 1;
        int i = home(value, mask);
        for (String v; (v = values[i]) != null; i = (i + 1) & mask) {
            if (v == value || v.equals(value)) {
                return slots[i];
            }
        }
        Slot s = slots[i];
        if (s == null) {
            s = new Slot();
            slots[i] = s;
        }
        values[i] = value;
        if (++size * 2 > values.length) {
            grow();
        }
        return s;
    }

    /** The value's first place in a table of {@code mask + 1}: high bits spread down, as HashMap does. */
    private static int home(String value, int mask) {
        int h = value.hashCode();
        return (h ^ h >>> 16) & mask;
    }

    private void grow() {
        String[] oldValues = values;
        Slot[] oldSlots = slots;
        values = new String[oldValues.length * 2];
        slots = new Slot[values.length];
        int mask = values.length - 1;
        for (int k = 0; k < oldValues.length; k++) {
            if (oldValues[k] != null) {
                int i = home(oldValues[k], mask);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                values[i] = oldValues[k];
                slots[i] = oldSlots[k];
            }
        }
    }

    /** The verdicts on {@code value} that outlive this request, or null when it is not cached. */
    ValueMemo memo(Slot s, String value) {
        if (s.memo == null && memos != null) {
            s.memo = memos.apply(value);
        }
        return s.memo;
    }

    /** The value after the link's transformations, worked out once per request and chain. */
    String transform(CrsRule link, Slot s, String value) {
        if (link.transforms.isEmpty()) {
            return value;
        }
        if (s.transformed == null) {
            s.transformed = new String[chains];
        }
        String t = s.transformed[link.chainId];
        if (t == null) {
            t = transformAll(link, value);
            s.transformed[link.chainId] = t;
            s.written = true;
        }
        return t;
    }

    static String transformAll(CrsRule link, String value) {
        String t = value;
        for (int k = 0; k < link.transforms.size(); k++) { // indexed: no iterator per value and link
            t = link.transforms.get(k).apply(t);
        }
        return t;
    }

    /** False when the prefilter shows the link's operator cannot match this transformed value. */
    boolean mayMatch(CrsRule link, Slot s, String transformedValue) {
        if (s.candidates == null) {
            s.candidates = new BitSet[chains];
        }
        BitSet hits = s.candidates[link.chainId];
        if (hits == null) {
            hits = prefilter.scan(link.chainId, transformedValue);
            s.candidates[link.chainId] = hits;
            s.written = true;
        }
        return hits.get(link.prefilterBit);
    }

}
