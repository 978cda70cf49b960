package caravan.enrich.crs;

import java.util.Locale;

/**
 * A {@code setvar} action read once at load time: {@code tx.name=value}, {@code tx.name=+n},
 * {@code !tx.name}. Names without a macro are resolved here, so a request only expands values.
 *
 * @param nameText the name as written (before {@code =}), expanded per request when {@code nameMacro}
 * @param key   the lower-case TX key when the name has no macro and is a TX name, else null
 * @param value the text after {@code =}, or null for a bare name (which sets 1)
 */
record SetVar(boolean delete, MacroText nameText, boolean nameMacro, String key, MacroText value) {

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
        return new SetVar(delete, MacroText.of(name), macro, key, eq < 0 ? null : MacroText.of(s.substring(eq + 1)));
    }

    /** The TX key that {@code name} (expanded) sets, or null when it names another collection. */
    static String txKey(String expandedName) {
        String n = expandedName.strip().toLowerCase(Locale.ROOT);
        return n.startsWith("tx.") ? n.substring(3) : null;
    }
}
