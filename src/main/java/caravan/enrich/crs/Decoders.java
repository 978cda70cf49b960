package caravan.enrich.crs;

/**
 * The decoding transformations (urlDecodeUni, htmlEntityDecode, jsDecode, cssDecode,
 * escapeSeqDecode, utf8toUnicode) on byte strings. Each is
 * one left-to-right pass whose output is never longer than a fixed multiple of its input, so the
 * cost is linear whatever an attacker sends. Input with nothing to decode comes back as is.
 */
final class Decoders {
    private Decoders() {
    }

    static String urlDecode(String s, boolean unicode) {
        return urlDecode(s, unicode, true);
    }

    /** @param plus whether {@code +} is a space (query strings) or itself (paths) */
    static String urlDecode(String s, boolean unicode, boolean plus) {
        if (s.indexOf('%') < 0 && (!plus || s.indexOf('+') < 0)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '+' && plus) {
                out.append(' ');
            } else if (c == '%' && unicode && i + 1 < n && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
                    && Bytes.isHex(s, i + 2, 4)) {
                out.append(Bytes.unicodeByte(Bytes.hexValue(s, i + 2, 4)));
                i += 5;
            } else if (c == '%' && Bytes.isHex(s, i + 1, 2)) {
                out.append((char) Bytes.hexValue(s, i + 1, 2));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code &#DDD; &#xHH; &quot; &amp; &lt; &gt; &nbsp;}, the semicolon optional, as ModSecurity does. */
    static String htmlEntityDecode(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c != '&' || i + 1 >= n) {
                out.append(c);
                i++;
                continue;
            }
            if (s.charAt(i + 1) == '#') {
                boolean hex = i + 2 < n && (s.charAt(i + 2) == 'x' || s.charAt(i + 2) == 'X');
                int j = i + (hex ? 3 : 2);
                int v = 0;
                int digits = 0;
                while (j < n && (hex ? Bytes.hex(s.charAt(j)) >= 0 : Character.isDigit(s.charAt(j)))) {
                    int d = hex ? Bytes.hex(s.charAt(j)) : s.charAt(j) - '0';
                    if (v < 0x10ffff) { // leading zeros cost nothing; a huge value stops growing
                        v = v * (hex ? 16 : 10) + d;
                    }
                    digits++;
                    j++;
                }
                if (digits > 0) {
                    out.append((char) (v & 0xff));
                    i = j < n && s.charAt(j) == ';' ? j + 1 : j;
                    continue;
                }
            } else {
                int j = i + 1;
                while (j < n && j - i <= 6 && Character.isLetter(s.charAt(j))) {
                    j++;
                }
                char named = named(s.substring(i + 1, j));
                if (named != 0) {
                    out.append(named);
                    i = j < n && s.charAt(j) == ';' ? j + 1 : j;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static char named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "quot" -> '"';
            case "amp" -> '&';
            case "lt" -> '<';
            case "gt" -> '>';
            case "nbsp" -> (char) 0xa0;
            default -> 0;
        };
    }

    /** JavaScript escapes: backslash with xHH, uHHHH, octal, n and the like, or any other character. */
    static String jsDecode(String s) {
        return unescape(s, true);
    }

    private static char simpleEscape(char d) {
        return switch (d) {
            case 'a' -> 7;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'v' -> 0x0b;
            default -> d;
        };
    }

    /** CSS escapes: {@code \} and one to six hex digits (one whitespace after them eaten), or {@code \c}. */
    static String cssDecode(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= n) {
                break;
            }
            int j = i + 1;
            while (j < n && j < i + 7 && Bytes.hex(s.charAt(j)) >= 0) {
                j++;
            }
            int digits = j - i - 1;
            if (digits > 0) {
                int v = Bytes.hexValue(s, j - Math.min(digits, 4), Math.min(digits, 4));
                out.append(digits >= 4 ? Bytes.unicodeByte(v) : (char) (v & 0xff));
                if (j < n && Bytes.isSpace(s.charAt(j))) {
                    j++;
                }
                i = j - 1;
            } else if (s.charAt(i + 1) == '\n') {
                i++;
            } else {
                out.append(s.charAt(i + 1));
                i++;
            }
        }
        return out.toString();
    }

    /** ANSI C escapes: {@code \a \b \f \n \r \t \v \\ \? \' \" \xHH \OOO}; others stay. */
    static String escapeSeqDecode(String s) {
        return unescape(s, false);
    }

    /** The backslash escapes both languages share; JavaScript adds uHHHH and takes any other character as itself. */
    private static String unescape(String s, boolean js) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                out.append(c);
                continue;
            }
            char d = s.charAt(i + 1);
            if (js && (d == 'u' || d == 'U') && Bytes.isHex(s, i + 2, 4)) {
                out.append(Bytes.unicodeByte(Bytes.hexValue(s, i + 2, 4)));
                i += 5;
            } else if ((d == 'x' || d == 'X') && Bytes.isHex(s, i + 2, 2)) {
                out.append((char) Bytes.hexValue(s, i + 2, 2));
                i += 3;
            } else if (d >= '0' && d <= '7') {
                int j = i + 1;
                int v = 0;
                while (j < n && j < i + 4 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
                    v = v * 8 + (s.charAt(j) - '0');
                    j++;
                }
                out.append((char) (v & 0xff));
                i = j - 1;
            } else if (js || "abfnrtv\\?'\"".indexOf(d) >= 0) {
                out.append(simpleEscape(d));
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Valid multi-byte UTF-8 sequences become {@code %uXXXX}; everything else stays. */
    static String utf8toUnicode(String s) {
        int n = s.length();
        int first = 0;
        while (first < n && s.charAt(first) < 0x80) {
            first++;
        }
        if (first == n) {
            return s;
        }
        StringBuilder out = new StringBuilder(n + 16);
        out.append(s, 0, first);
        for (int i = first; i < n; i++) {
            int b0 = s.charAt(i);
            int len = b0 >= 0xf0 && b0 < 0xf8 ? 4 : b0 >= 0xe0 && b0 < 0xf0 ? 3 : b0 >= 0xc0 && b0 < 0xe0 ? 2 : 0;
            if (len == 0 || i + len > n) {
                out.append((char) b0);
                continue;
            }
            int cp = b0 & (0x7f >> len);
            boolean ok = true;
            for (int k = 1; k < len; k++) {
                int b = s.charAt(i + k);
                if ((b & 0xc0) != 0x80) {
                    ok = false;
                    break;
                }
                cp = cp << 6 | (b & 0x3f);
            }
            if (!ok) {
                out.append((char) b0);
                continue;
            }
            out.append("%u").append(String.format("%04x", cp & 0xffff));
            i += len - 1;
        }
        return out.toString();
    }
}

