package caravan.enrich.crs;

import java.util.BitSet;
import java.util.function.Function;

/**
 * One request's values by content, each with its {@link Slot}: rules share transformation chains,
 * so each value is transformed and prefiltered once per chain, and its cached verdicts looked up once.
 */
final class ValueSlots {
    /** Open addressing by the value's hash (a few dozen values per request: no map entry made per value). */
    private String[] values = new String[32];
    private Slot[] slots = new Slot[32];
    private int size;
    private final Prefilter prefilter;
    private final int chains;
    /** The engine's cache of verdicts by value; null when nothing is cached. */
    private final Function<String, ValueMemo> memos;

    ValueSlots(CrsRuleSet rules, Function<String, ValueMemo> memos) {
        this.prefilter = rules.prefilter;
        this.chains = rules.chains;
        this.memos = memos;
    }

    /** One value's state in this request: its shared verdicts, its transformed forms, its prefilter scans. */
    static final class Slot {
        ValueMemo memo;
        /** By chain, made on first use: most values of a request are only looked up in the cache. */
        String[] transformed;
        BitSet[] candidates;
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
        Slot s = new Slot();
        values[i] = value;
        slots[i] = s;
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
        }
        return t;
    }

    static String transformAll(CrsRule link, String value) {
        String t = value;
        for (var f : link.transforms) {
            t = f.apply(t);
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
        }
        return hits.get(link.prefilterBit);
    }

}
