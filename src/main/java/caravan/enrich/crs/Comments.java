package caravan.enrich.crs;

/** The comment transformations: C comments, SQL {@code --} and {@code #}, HTML {@code <!-- -->}. */
final class Comments {
    private Comments() {
    }

    /** Each C comment, closed or not, becomes one space. */
    static String replace(String s) {
        if (!s.contains("/*")) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int open = s.indexOf("/*", i);
            if (open < 0) {
                out.append(s, i, s.length());
                break;
            }
            out.append(s, i, open).append(' ');
            int close = s.indexOf("*/", open + 2);
            i = close < 0 ? s.length() : close + 2;
        }
        return out.toString();
    }

    /** C and HTML comments removed; {@code --} or {@code #} ends the text. */
    static String remove(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (s.startsWith("/*", i)) {
                int close = s.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (s.startsWith("<!--", i)) {
                int close = s.indexOf("-->", i + 4);
                i = close < 0 ? n : close + 3;
            } else if (s.startsWith("--", i) || s.charAt(i) == '#') {
                break;
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.length() == n ? s : out.toString();
    }

    /** The comment markers themselves removed: {@code /* *}{@code / -- # <!-- -->}. */
    static String removeChars(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (s.startsWith("/*", i) || s.startsWith("*/", i) || s.startsWith("--", i)) {
                i += s.startsWith("-->", i) ? 3 : 2;
            } else if (s.startsWith("<!--", i)) {
                i += 4;
            } else if (s.charAt(i) == '#') {
                i++;
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.length() == n ? s : out.toString();
    }
}
