package caravan.enrich.crs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The keys (and values) of a snapshot's TX map that a {@code TX:/regex/} target selects, worked
 * out once per map and target: 920450's chain reads {@code TX:/^header_name_920450_/} for every
 * request, and testing the regex on each of the snapshot's ~45 keys was most of its cost.
 * Snapshot maps are never written, so a map's selection never changes; entries hold the map
 * itself and compare it by identity. A direct-mapped table of fixed size: bounded, lock-free
 * (entries are immutable), a lost slot only costs working one selection out again.
 */
final class TxSelections {
    private static final int SIZE = 256;

    private record Entry(Map<String, String> base, Target target, String[] selected) {
    }

    private final Entry[] table = new Entry[SIZE];

    /** The keys of {@code base} that {@code t} selects, each followed by its value, in the map's order. */
    String[] of(Map<String, String> base, Target t) {
        int h = System.identityHashCode(base) * 31 + System.identityHashCode(t);
        int i = (h ^ h >>> 16) & (SIZE - 1);
        Entry e = table[i];
        if (e != null && e.base == base && e.target == t) {
            return e.selected;
        }
        List<String> out = new ArrayList<>();
        base.forEach((k, v) -> {
            if (t.selects(k)) {
                out.add(k);
                out.add(v);
            }
        });
        String[] selected = out.toArray(new String[0]);
        table[i] = new Entry(base, t, selected);
        return selected;
    }
}
