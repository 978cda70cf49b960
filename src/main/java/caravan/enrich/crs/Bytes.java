package caravan.enrich.crs;

import java.nio.charset.StandardCharsets;

/**
 * ModSecurity matches bytes, not characters: CRS regexes say {@code \xc0\xae} and mean two bytes.
 * So the engine works on "byte strings", one char per byte (0-255): text from the event becomes
 * its UTF-8 bytes, and so do rule literals. Plain ASCII, the common case, is returned as is.
 */
final class Bytes {
    private Bytes() {
    }

    static String of(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return text;
    }

    /** A byte string back to text, for output (invalid UTF-8 becomes U+FFFD). */
    static String text(String bytes) {
        for (int i = 0; i < bytes.length(); i++) {
            if (bytes.charAt(i) >= 0x80) {
                return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return bytes;
    }

    static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    static boolean isHex(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int k = from; k < from + count; k++) {
            if (hex(s.charAt(k)) < 0) {
                return false;
            }
        }
        return true;
    }

    static int hexValue(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            v = v << 4 | hex(s.charAt(k));
        }
        return v;
    }

    /** A %uXXXX (or backslash-u) code unit as one byte: full-width ASCII to ASCII, else its low byte. */
    static char unicodeByte(int code) {
        if (code >= 0xff01 && code <= 0xff5e) {
            return (char) (code - 0xfee0);
        }
        return (char) (code & 0xff);
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b || c == 0xa0;
    }
}
