package caravan.enrich.crs;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One request's values by content, each with its {@link Slot}: rules share transformation chains,
 * so each value is transformed and prefiltered once per chain, and its cached verdicts looked up once.
 */
final class ValueSlots {
    private final Map<String, Slot> slots = new HashMap<>();
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
        Slot s = slots.get(value);
        if (s == null) {
            s = new Slot();
            slots.put(value, s);
        }
        return s;
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
