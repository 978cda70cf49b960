package caravan.enrich.crs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One element of a rule's variable list: {@code ARGS}, {@code ARGS:id}, {@code !ARGS:/^utm_/},
 * {@code &TX:foo}. A key is compared without case; a key between slashes is a regex.
 *
 * @param collection upper-case name
 * @param key        lower-case key, or null for the whole collection
 * @param keyRegex   the key as a regex, or null
 * @param count      {@code &}: the rule sees how many values there are
 * @param exclude    {@code !}: these values are taken out of the rule's other targets
 */
public record Target(String collection, String key, KeyRegex keyRegex, boolean count, boolean exclude) {

    /** Whether a value named {@code name} (lower-case key) of this collection is selected. */
    boolean selects(String name) {
        if (keyRegex != null) {
            return keyRegex.find(name);
        }
        return key == null || key.equals(name);
    }

    /** Whether this exclusion removes {@code other}'s value named {@code name}. */
    boolean excludes(String otherCollection, String name) {
        return collection.equals(otherCollection) && selects(name);
    }

    @Override
    public String toString() {
        return (count ? "&" : "") + (exclude ? "!" : "") + collection + (key == null ? "" : ":" + key)
                + (keyRegex == null ? "" : ":/" + keyRegex.pattern() + "/");
    }

    /**
     * Parses a variable list like {@code REQUEST_COOKIES|!REQUEST_COOKIES:/__utm/|ARGS}.
     *
     * @param compileMillis the deadline for compiling a key regex ({@link RegexCompiler})
     */
    static List<Target> parseList(String text, String where, long compileMillis) {
        List<Target> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            boolean count = false;
            boolean exclude = false;
            while (i < n && (text.charAt(i) == '&' || text.charAt(i) == '!')) {
                count |= text.charAt(i) == '&';
                exclude |= text.charAt(i) == '!';
                i++;
            }
            int s = i;
            while (i < n && text.charAt(i) != ':' && text.charAt(i) != '|') {
                i++;
            }
            String collection = text.substring(s, i).strip().toUpperCase(Locale.ROOT);
            String key = null;
            KeyRegex regex = null;
            if (i < n && text.charAt(i) == ':') {
                i++;
                boolean quoted = i < n && text.charAt(i) == '\'';
                if (quoted) {
                    i++;
                }
                int j = i + 1;
                if (i < n && text.charAt(i) == '/' && !collection.equals("XML")) {
                    while (j < n && !(text.charAt(j) == '/' && text.charAt(j - 1) != '\\'
                            && (j + 1 == n || text.charAt(j + 1) == '|' || text.charAt(j + 1) == '\''))) {
                        j++;
                    }
                }
                if (i < n && text.charAt(i) == '/' && j < n) {
                    try {
                        regex = new KeyRegex(text.substring(i + 1, j), compileMillis);
                    } catch (RuntimeException e) {
                        throw new CrsException(where + ": variable key regex: " + e.getMessage(), e);
                    }
                    i = j + 1;
                } else {
                    j = i;
                    while (j < n && text.charAt(j) != '|' && text.charAt(j) != '\'') {
                        j++;
                    }
                    key = text.substring(i, j).strip().toLowerCase(Locale.ROOT);
                    i = j;
                }
                if (quoted && i < n && text.charAt(i) == '\'') {
                    i++;
                }
            }
            if (collection.isEmpty()) {
                throw new CrsException(where + ": empty variable in '" + text + "'");
            }
            out.add(new Target(collection, key, regex, count, exclude));
            if (i < n && text.charAt(i) == '|') {
                i++;
            }
        }
        return out;
    }
}
