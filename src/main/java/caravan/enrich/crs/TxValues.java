package caravan.enrich.crs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * One request's TX collection: a map it starts from (a quiet-path snapshot's, shared by every
 * request there, never written) under the request's own writes. A request that writes a key or two
 * (a capture's TX:0, a bookkeeping setvar) no longer copies the whole collection first.
 */
final class TxValues {
    /** Marks a key this request removed that {@link #base} may still hold: a new instance, compared by identity. */
    private static final String REMOVED = new String("");

    private Map<String, String> base;
    /** This request's writes since {@link #reset}, {@link #REMOVED} for a removal. */
    private final HashMap<String, String> own = new HashMap<>(8);

    TxValues(Map<String, String> base) {
        this.base = base;
    }

    /** Starts again from {@code base}, this request's writes forgotten. */
    void reset(Map<String, String> base) {
        this.base = base;
        if (!own.isEmpty()) {
            own.clear();
        }
    }

    String get(String key) {
        if (!own.isEmpty()) {
            String v = own.get(key);
            if (v != null) {
                return v == REMOVED ? null : v;
            }
        }
        return base.get(key);
    }

    String getOrDefault(String key, String otherwise) {
        String v = get(key);
        return v == null ? otherwise : v;
    }

    void put(String key, String value) {
        own.put(key, value);
    }

    void remove(String key) {
        own.put(key, REMOVED);
    }

    /** Every key and value, as one map would hold them. */
    void forEach(BiConsumer<String, String> action) {
        if (own.isEmpty()) {
            base.forEach(action);
            return;
        }
        base.forEach((k, v) -> {
            if (!own.containsKey(k)) {
                action.accept(k, v);
            }
        });
        own.forEach((k, v) -> {
            if (v != REMOVED) {
                action.accept(k, v);
            }
        });
    }

    /**
     * As {@link #forEach}, only the keys {@code t} selects, in the same order: the base map's come
     * from {@code selections} (worked out once per map), only this request's writes are tested.
     */
    void forEachSelected(Target t, TxSelections selections, BiConsumer<String, String> action) {
        String[] selected = selections.of(base, t);
        for (int i = 0; i < selected.length; i += 2) {
            if (own.isEmpty() || !own.containsKey(selected[i])) {
                action.accept(selected[i], selected[i + 1]);
            }
        }
        own.forEach((k, v) -> {
            if (v != REMOVED && t.selects(k)) {
                action.accept(k, v);
            }
        });
    }

    /**
     * The keys written since {@link #reset} whose value now differs from {@code from}'s, each
     * followed by its value (null: removed), in key order: equal arrays exactly when the collections
     * over {@code from} are equal.
     */
    String[] changedFrom(Map<String, String> from) {
        String[] out = new String[own.size() * 2];
        int n = 0;
        for (Map.Entry<String, String> e : own.entrySet()) {
            String now = e.getValue() == REMOVED ? null : e.getValue();
            if (!Objects.equals(now, from.get(e.getKey()))) {
                out[n++] = e.getKey();
                out[n++] = now;
            }
        }
        // by key: the map's own order depends on its table's history, and one state must give one key
        for (int i = 2; i < n; i += 2) {
            for (int j = i; j > 0 && out[j - 2].compareTo(out[j]) > 0; j -= 2) {
                String k = out[j - 2];
                String v = out[j - 1];
                out[j - 2] = out[j];
                out[j - 1] = out[j + 1];
                out[j] = k;
                out[j + 1] = v;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** A map of its own with every key and value. */
    Map<String, String> copy() {
        Map<String, String> out = new HashMap<>(base);
        own.forEach((k, v) -> {
            if (v == REMOVED) {
                out.remove(k);
            } else {
                out.put(k, v);
            }
        });
        return out;
    }
}
