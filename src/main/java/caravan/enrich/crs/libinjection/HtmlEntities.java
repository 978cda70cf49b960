package caravan.enrich.crs.libinjection;

/** Just enough HTML character-reference decoding to see a URL scheme through "&#106;&#x61;..". */
final class HtmlEntities {
    private static final int LIMIT = 0x1000FF;

    private HtmlEntities() {
    }

    /**
     * Whether the decoded text of {@code s[from, end)} starts with {@code upper}, ignoring case,
     * leading controls and spaces, and any NUL or newline characters.
     */
    static boolean decodedStartsWith(String upper, byte[] s, int from, int end) {
        int k = 0;
        boolean leading = true;
        int i = from;
        while (i < end) {
            if (k == upper.length()) {
                return true;
            }
            long decoded = decodeAt(s, i, end);
            int c = (int) (decoded >>> 32);
            i += (int) decoded;
            if (leading && c <= 32) {
                continue;
            }
            leading = false;
            if (c == 0 || c == '\n') {
                continue;
            }
            if (c >= 'a' && c <= 'z') {
                c -= 0x20;
            }
            // Compared as a byte, as libinjection does: code points above 0xff wrap.
            if ((byte) c != (byte) upper.charAt(k)) {
                return false;
            }
            k++;
        }
        return k == upper.length();
    }

    /**
     * Decodes one character at {@code s[i]}: a numeric character reference (decimal or hex, ';'
     * optional) or a plain byte. Returns (character << 32) | bytes consumed. A malformed or too
     * large reference is a plain '&'.
     */
    static long decodeAt(byte[] s, int i, int end) {
        int len = end - i;
        if (s[i] != '&' || len < 2) {
            return result(s[i] & 0xff, 1);
        }
        if (s[i + 1] != '#') {
            return result('&', 1); // named entities do not matter here
        }
        boolean hex = byteAt(s, i + 2, end) == 'x' || byteAt(s, i + 2, end) == 'X';
        int first = hex ? 3 : 2;
        int d = digit(byteAt(s, i + first, end), hex);
        if (d < 0) {
            return result('&', 1);
        }
        int value = d;
        int j = first + 1;
        for (; j < len; j++) {
            byte b = s[i + j];
            if (b == ';') {
                return result(value, j + 1);
            }
            d = digit(b, hex);
            if (d < 0) {
                return result(value, j);
            }
            value = value * (hex ? 16 : 10) + d;
            if (value > LIMIT) {
                return result('&', 1);
            }
        }
        return result(value, j);
    }

    private static int byteAt(byte[] s, int i, int end) {
        return i < end ? s[i] : -1;
    }

    private static int digit(int b, boolean hex) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (hex && b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (hex && b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static long result(int c, int consumed) {
        return ((long) c << 32) | consumed;
    }
}
