package caravan.enrich.threat;

import java.util.Locale;

/**
 * Undoes the encodings attackers use to slip past string matching, so one rule catches every
 * spelling: {@code %2e%2e%2f}, {@code %252e%252e%252f}, {@code %c0%ae} (overlong UTF-8),
 * {@code %u002e} (IIS), {@code +} for space, mixed case, and Log4j lookups that spell out a word
 * ({@code ${${lower:j}ndi:}, {@code ${::-j}}).
 *
 * <p>Everything here is a single left-to-right pass (or a few, bounded by {@link #MAX_ROUNDS}), so
 * the cost stays linear in the input whatever an attacker sends. A string with nothing to undo is
 * returned as is, without copying: the common case costs a scan.
 */
public final class Normalizer {
    /** URL-decoding rounds: enough for double and triple encoding, bounded against decode bombs. */
    static final int MAX_ROUNDS = 3;
    /** Log4j lookups nest; deeper than this is left as written. */
    private static final int MAX_LOOKUP_DEPTH = 32;

    private Normalizer() {
    }

    /**
     * The text that rules match: URL-decoded (repeatedly), {@code +} as space, HTML character
     * references decoded, lower-cased, with Log4j lookups collapsed.
     */
    public static String text(String raw) {
        String s = decode(raw, true);
        if (s.indexOf('&') >= 0) {
            s = decodeEntities(s);
        }
        s = s.toLowerCase(Locale.ROOT);
        if (s.contains("${")) {
            s = collapseLookups(s);
        }
        return s;
    }

    /**
     * The path that file-probe rules match: decoded and lower-cased like {@link #text}, then
     * resolved as a server would: {@code \} as {@code /}, {@code ;params} dropped from segments,
     * empty and {@code .} segments removed, {@code ..} applied (never above the root). A trailing
     * slash is kept, so {@code /.git/} stays distinguishable from a file named {@code .git}.
     */
    public static String path(String rawPath) {
        String s = decode(rawPath, false).toLowerCase(Locale.ROOT);
        if (!needsResolving(s)) {
            return s;
        }
        String[] segments = s.replace('\\', '/').split("/", -1);
        String[] stack = new String[segments.length];
        int depth = 0;
        for (String seg : segments) {
            int semi = seg.indexOf(';');
            if (semi >= 0) {
                seg = seg.substring(0, semi);
            }
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (depth > 0) {
                    depth--;
                }
                continue;
            }
            stack[depth++] = seg;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < depth; i++) {
            out.append('/').append(stack[i]);
        }
        char last = s.charAt(s.length() - 1);
        if (out.length() == 0 || last == '/' || last == '\\') {
            out.append('/');
        }
        return out.toString();
    }

    private static boolean needsResolving(String s) {
        if (s.isEmpty() || s.charAt(0) != '/') {
            return !s.isEmpty();
        }
        return s.indexOf('\\') >= 0 || s.indexOf(';') >= 0 || s.contains("//") || s.contains("/.");
    }

    /** Percent-decodes up to {@link #MAX_ROUNDS} times, stopping as soon as a round changes nothing. */
    static String decode(String s, boolean plusAsSpace) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            String d = decodeOnce(s, plusAsSpace);
            if (d == s) {
                break;
            }
            s = d;
        }
        return s;
    }

    /**
     * One round of {@code %XX} and {@code %uXXXX} decoding. Byte runs are read as UTF-8, leniently:
     * overlong forms decode to the character they spell (the classic {@code %c0%af} for {@code /}),
     * and bytes that are not UTF-8 become the Latin-1 character of the same value, so nothing is lost.
     * Returns {@code s} itself when there is nothing to decode.
     */
    static String decodeOnce(String s, boolean plusAsSpace) {
        int first = s.indexOf('%'); // indexOf is vectorised; most requests have neither character
        if (plusAsSpace) {
            int plus = s.indexOf('+');
            first = plus >= 0 && (first < 0 || plus < first) ? plus : first;
        }
        if (first < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, first);
        byte[] run = null;
        int i = first;
        boolean changed = false;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (pctByte(s, i)) {
                // A run of %XX bytes, decoded together so multi-byte UTF-8 comes out whole.
                if (run == null) {
                    run = new byte[Math.min(s.length() / 3 + 1, 4096)];
                }
                int n = 0;
                while (pctByte(s, i)) {
                    if (n == run.length) {
                        utf8(run, n, out);
                        n = 0;
                    }
                    run[n++] = (byte) (hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                    i += 3;
                }
                utf8(run, n, out);
                changed = true;
            } else if (c == '%' && i + 1 < s.length() && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
                    && hex4(s, i + 2) >= 0) {
                out.append((char) hex4(s, i + 2));
                i += 6;
                changed = true;
            } else if (c == '+' && plusAsSpace) {
                out.append(' ');
                i++;
                changed = true;
            } else {
                out.append(c);
                i++;
            }
        }
        return changed ? out.toString() : s;
    }

    /** Whether a {@code %XX} byte starts at {@code i}. */
    private static boolean pctByte(String s, int i) {
        return i + 2 < s.length() && s.charAt(i) == '%' && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0;
    }

    private static int hex4(String s, int from) {
        if (from + 4 > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int h = hex(s.charAt(from + k));
            if (h < 0) {
                return -1;
            }
            v = v << 4 | h;
        }
        return v;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static void utf8(byte[] b, int n, StringBuilder out) {
        int i = 0;
        while (i < n) {
            int b0 = b[i] & 0xff;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
            } else if ((b0 & 0xe0) == 0xc0 && i + 1 < n && cont(b[i + 1])) {
                out.append((char) ((b0 & 0x1f) << 6 | (b[i + 1] & 0x3f)));
                i += 2;
            } else if ((b0 & 0xf0) == 0xe0 && i + 2 < n && cont(b[i + 1]) && cont(b[i + 2])) {
                out.append((char) ((b0 & 0x0f) << 12 | (b[i + 1] & 0x3f) << 6 | (b[i + 2] & 0x3f)));
                i += 3;
            } else if ((b0 & 0xf8) == 0xf0 && i + 3 < n && cont(b[i + 1]) && cont(b[i + 2]) && cont(b[i + 3])) {
                int cp = (b0 & 0x07) << 18 | (b[i + 1] & 0x3f) << 12 | (b[i + 2] & 0x3f) << 6 | (b[i + 3] & 0x3f);
                if (Character.isValidCodePoint(cp)) {
                    out.appendCodePoint(cp);
                } else {
                    out.append('\ufffd');
                }
                i += 4;
            } else {
                out.append((char) b0);
                i++;
            }
        }
    }

    private static boolean cont(byte b) {
        return (b & 0xc0) == 0x80;
    }

    /**
     * Decodes numeric character references ({@code &#106;}, {@code &#x6a;}, semicolon optional as
     * browsers allow) and the few named ones used to hide markup ({@code &lt; &gt; &quot; &apos;
     * &colon; &lpar; &rpar; &tab; &newline;}). {@code &amp;} is left alone: in a query string it
     * is far more often a literal separator than an attack.
     */
    static String decodeEntities(String s) {
        StringBuilder out = null;
        int i = 0;
        int copied = 0;
        while ((i = s.indexOf('&', i)) >= 0) {
            int end = -1;
            int cp = -1;
            if (i + 2 < s.length() && s.charAt(i + 1) == '#') {
                boolean hexForm = s.charAt(i + 2) == 'x' || s.charAt(i + 2) == 'X';
                int j = i + (hexForm ? 3 : 2);
                int v = 0;
                int digits = 0;
                while (j < s.length() && digits < 7) {
                    int d = hexForm ? hex(s.charAt(j)) : (Character.isDigit(s.charAt(j)) ? s.charAt(j) - '0' : -1);
                    if (d < 0 || d > 15) {
                        break;
                    }
                    v = v * (hexForm ? 16 : 10) + d;
                    digits++;
                    j++;
                }
                if (digits > 0 && Character.isValidCodePoint(v)) {
                    cp = v;
                    end = j < s.length() && s.charAt(j) == ';' ? j + 1 : j;
                }
            } else {
                int semi = s.indexOf(';', i);
                if (semi > i && semi - i <= 9) {
                    cp = named(s.substring(i + 1, semi).toLowerCase(Locale.ROOT));
                    end = semi + 1;
                }
            }
            if (cp < 0) {
                i++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length());
            }
            out.append(s, copied, i).appendCodePoint(cp);
            copied = end;
            i = end;
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    private static int named(String name) {
        return switch (name) {
            case "lt" -> '<';
            case "gt" -> '>';
            case "quot" -> '"';
            case "apos" -> '\'';
            case "colon" -> ':';
            case "lpar" -> '(';
            case "rpar" -> ')';
            case "tab" -> '\t';
            case "newline" -> '\n';
            default -> -1;
        };
    }

    /**
     * Replaces the Log4j lookups that only produce text with that text, innermost first:
     * {@code ${lower:X}} and {@code ${upper:X}} give X, {@code ${anything:-X}} gives its default X
     * (the {@code ${::-j}} and {@code ${env:NOPE:-j}} tricks), {@code ${date:'X'}} gives X. Other
     * lookups ({@code ${jndi:...}}, {@code ${env:USER}}) stay as written, which is what rules look for.
     */
    static String collapseLookups(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int[] open = new int[MAX_LOOKUP_DEPTH];
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{' && depth < MAX_LOOKUP_DEPTH) {
                open[depth++] = out.length();
                out.append("${");
                i++;
            } else if (c == '}' && depth > 0) {
                int start = open[--depth];
                String body = out.substring(start + 2);
                String value = lookupValue(body);
                out.setLength(start);
                if (value == null) {
                    out.append("${").append(body).append('}');
                } else {
                    out.append(value);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String lookupValue(String body) {
        int dflt = body.indexOf(":-");
        if (dflt >= 0) {
            return body.substring(dflt + 2);
        }
        if (body.startsWith("lower:") || body.startsWith("upper:")) {
            return body.substring(6);
        }
        if (body.startsWith("date:")) {
            return body.substring(5).replace("'", "");
        }
        return null;
    }
}
