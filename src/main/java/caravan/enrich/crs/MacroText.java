package caravan.enrich.crs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A text with {@code %{tx.name}}-style macros, split once at load time into literal parts and
 * macro references (collection upper-case, key lower-case), so that a request only looks values up:
 * CRS expands a macro in most score updates and in every paranoia-level comparison.
 */
final class MacroText {
    /** A macro reference: {@code %{collection.key}}; key null when there is no dot. */
    record Ref(String collection, String key) {
    }

    private final String text;
    /** Literal, Ref, literal, Ref ... ; null when the text has no macro. */
    private final Object[] parts;

    private MacroText(String text, Object[] parts) {
        this.text = text;
        this.parts = parts;
    }

    static MacroText of(String text) {
        int open = text.indexOf("%{");
        if (open < 0) {
            return new MacroText(text, null);
        }
        List<Object> parts = new ArrayList<>();
        int i = 0;
        while (open >= 0) {
            int close = text.indexOf('}', open);
            if (close < 0) {
                break;
            }
            parts.add(text.substring(i, open));
            String name = text.substring(open + 2, close);
            int dot = name.indexOf('.');
            parts.add(new Ref((dot < 0 ? name : name.substring(0, dot)).toUpperCase(Locale.ROOT),
                    dot < 0 ? null : name.substring(dot + 1).toLowerCase(Locale.ROOT)));
            i = close + 1;
            open = text.indexOf("%{", i);
        }
        parts.add(text.substring(i));
        return new MacroText(text, parts.toArray());
    }

    /** Whether every macro in the text names one of {@code collections} (upper-case); true without macros. */
    boolean refersOnlyTo(java.util.Set<String> collections) {
        if (parts != null) {
            for (Object p : parts) {
                if (p instanceof Ref r && !collections.contains(r.collection())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether some macro in the text names one of {@code collections} (upper-case). */
    boolean refersToAny(java.util.Set<String> collections) {
        if (parts != null) {
            for (Object p : parts) {
                if (p instanceof Ref r && collections.contains(r.collection())) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean hasMacro() {
        return parts != null;
    }

    String text() {
        return text;
    }

    /** The text with every macro replaced by its value in {@code tx} (empty when unset). */
    String expand(Transaction tx) {
        if (parts == null) {
            return text;
        }
        if (parts.length == 3 && ((String) parts[0]).isEmpty() && ((String) parts[2]).isEmpty()) {
            return tx.macro((Ref) parts[1]); // the whole text is one macro, as in most CRS uses
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (Object p : parts) {
            out.append(p instanceof Ref r ? tx.macro(r) : (String) p);
        }
        return out.toString();
    }
}
