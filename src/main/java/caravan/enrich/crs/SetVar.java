package caravan.enrich.crs;

import java.util.Locale;

/**
 * A {@code setvar} action read once at load time: {@code tx.name=value}, {@code tx.name=+n},
 * {@code !tx.name}. Names without a macro are resolved here, so a request only expands values.
 *
 * @param nameText the name as written (before {@code =}), expanded per request when {@code nameMacro}
 * @param key   the lower-case TX key when the name has no macro and is a TX name, else null
 * @param value the text after {@code =}, or null for a bare name (which sets 1)
 * @param keyText the name after its literal {@code tx.} when it has a macro (the key, before trailing
 *                blanks go and it is lower-cased), else null
 * @param sign  '+' or '-' when the value starts with that literal sign (a score update), else 0
 * @param delta the value after that sign, else null
 */
record SetVar(boolean delete, MacroText nameText, boolean nameMacro, String key, MacroText value, MacroText keyText,
        char sign, MacroText delta) {

    static SetVar parse(String spec) {
        String s = spec.strip();
        boolean delete = s.startsWith("!");
        if (delete) {
            s = s.substring(1);
        }
        int eq = s.indexOf('=');
        String name = eq < 0 ? s : s.substring(0, eq);
        boolean macro = name.contains("%{");
        String key = macro ? null : txKey(name);
        MacroText keyText = macro && name.regionMatches(true, 0, "tx.", 0, 3) ? MacroText.of(name.substring(3)) : null;
        String v = eq < 0 ? null : s.substring(eq + 1);
        char sign = v != null && (v.startsWith("+") || v.startsWith("-")) ? v.charAt(0) : 0;
        return new SetVar(delete, MacroText.of(name), macro, key, v == null ? null : MacroText.of(v), keyText, sign,
                sign == 0 ? null : MacroText.of(v.substring(1)));
    }

    /**
     * The TX key a name with a macro sets in {@code tx}, or null when it names another collection.
     * A literal {@code tx.} is left out before expanding rather than cut off after: the same key
     * ({@link #txKey}; values are byte strings, so lower-casing goes char by char), one string fewer.
     */
    String expandKey(Transaction tx) {
        return keyText != null ? keyText.expand(tx).stripTrailing().toLowerCase(Locale.ROOT) : txKey(nameText.expand(tx));
    }

    /** {@code base} plus or minus {@code delta} as text; scores and counters stay small, their text made once. */
    static String sum(long base, char sign, long delta) {
        long sum = sign == '+' ? base + delta : base - delta;
        return sum >= 0 && sum < SMALL_NUMBERS.length ? SMALL_NUMBERS[(int) sum] : Long.toString(sum);
    }

    private static final String[] SMALL_NUMBERS = new String[256];

    static {
        for (int i = 0; i < SMALL_NUMBERS.length; i++) {
            SMALL_NUMBERS[i] = Integer.toString(i);
        }
    }

    /** The TX key that {@code name} (expanded) sets, or null when it names another collection. */
    static String txKey(String expandedName) {
        String n = expandedName.strip().toLowerCase(Locale.ROOT);
        return n.startsWith("tx.") ? n.substring(3) : null;
    }
}
