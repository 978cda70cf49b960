package caravan.event;

import java.util.Arrays;

/**
 * A growable byte buffer that writes JSON tokens as UTF-8: the document writer's output, reused
 * document after document. Strings are copied as they are and escaped only where JSON requires it
 * ({@code "}, {@code \}, control characters). Surrogates are written as {@code \}{@code uXXXX}
 * escapes, as Jackson's generator does, so a lone surrogate still makes valid JSON.
 *
 * <p>Not thread-safe.
 */
final class JsonBytes {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Per ASCII character: 0 = copied as is, else the letter after the backslash ('u' = six-byte form). */
    private static final byte[] ESCAPE = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPE[c] = 'u';
        }
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
        ESCAPE['\n'] = 'n';
        ESCAPE['\r'] = 'r';
        ESCAPE['\t'] = 't';
        ESCAPE['\b'] = 'b';
        ESCAPE['\f'] = 'f';
    }

    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    /** Strings up to this length are written with charAt; longer ones in bulk. */
    private static final int SHORT = 24;

    private byte[] buf;
    private char[] chars = new char[256];
    private int pos;

    JsonBytes(int capacity) {
        buf = new byte[capacity];
    }

    void reset() {
        pos = 0;
    }

    int size() {
        return pos;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    /** A copy of what was written from {@code from} on. */
    byte[] copyFrom(int from) {
        return Arrays.copyOfRange(buf, from, pos);
    }

    void raw(byte b) {
        ensure(1);
        buf[pos++] = b;
    }

    void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    /**
     * A quoted, escaped JSON string. The characters are copied into a reused char array (for a
     * Latin-1 string one vectorised widening copy); then runs of plain ASCII are found by a tight
     * scan and narrowed into the buffer by a loop the JIT vectorises, and only the characters
     * between runs are escaped or encoded one by one.
     */
    void string(String s) {
        int len = s.length();
        if (len <= SHORT) {
            shortString(s, len);
            return;
        }
        if (len > chars.length) {
            chars = new char[Math.max(len, chars.length * 2)];
        }
        char[] c = chars;
        s.getChars(0, len, c, 0);
        ensure(len + 2); // room for every character as one byte, and the quotes
        buf[pos++] = '"';
        int i = 0;
        while (true) {
            int end = plainRun(c, i, len);
            byte[] b = buf;
            int p = pos;
            for (int k = i; k < end; k++) {
                b[p + k - i] = (byte) c[k];
            }
            pos = p + end - i;
            if (end == len) {
                break;
            }
            ensure(len - end + 7); // this character's six bytes at most, the others' one, the quote
            encode(c[end]);
            i = end + 1;
        }
        buf[pos++] = '"';
    }

    /** A short string: {@code charAt} costs less than setting up the bulk copy. */
    private void shortString(String s, int len) {
        ensure(len * 6 + 2);
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        for (int i = 0; i < len; i++) {
            char ch = s.charAt(i);
            if (ch < 128 && ESCAPE[ch] == 0) {
                b[p++] = (byte) ch;
            } else {
                pos = p;
                encode(ch);
                p = pos;
            }
        }
        b[p++] = '"';
        pos = p;
    }

    /** The index of the first character from {@code from} that is not plain ASCII, or {@code len}. */
    private static int plainRun(char[] c, int from, int len) {
        int i = from;
        while (i < len) {
            char ch = c[i];
            if (ch >= 128 || ESCAPE[ch] != 0) {
                break;
            }
            i++;
        }
        return i;
    }

    /** One character that is not plain ASCII: an escape, or its UTF-8 bytes (room made by the caller). */
    private void encode(char c) {
        byte[] b = buf;
        int p = pos;
        if (c < 128) {
            byte e = ESCAPE[c];
            if (e != 'u') {
                b[p++] = '\\';
                b[p++] = e;
            } else {
                p = unicodeEscape(b, p, c);
            }
        } else if (c < 0x800) {
            b[p++] = (byte) (0xC0 | c >> 6);
            b[p++] = (byte) (0x80 | c & 0x3F);
        } else if (Character.isSurrogate(c)) {
            p = unicodeEscape(b, p, c);
        } else {
            b[p++] = (byte) (0xE0 | c >> 12);
            b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
            b[p++] = (byte) (0x80 | c & 0x3F);
        }
        pos = p;
    }

    private static int unicodeEscape(byte[] b, int p, char c) {
        b[p] = '\\';
        b[p + 1] = 'u';
        b[p + 2] = HEX[c >> 12];
        b[p + 3] = HEX[c >> 8 & 0xF];
        b[p + 4] = HEX[c >> 4 & 0xF];
        b[p + 5] = HEX[c & 0xF];
        return p + 6;
    }

    /** A JSON number from a long, without going through a String. */
    void number(long v) {
        if (v == Long.MIN_VALUE) {
            ascii(Long.toString(v));
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int p = end - 1; p >= pos; p--) {
            buf[p] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos = end;
    }

    /** Digits of a fixed width, zero-padded ({@code width} ≤ 4): the parts of a timestamp. */
    void digits(int v, int width) {
        ensure(width);
        for (int p = pos + width - 1; p >= pos; p--) {
            buf[p] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos += width;
    }

    /** A finite double as Java prints it (as Jackson writes it); NaN and infinities as strings. */
    void number(double d) {
        if (Double.isFinite(d)) {
            ascii(Double.toString(d));
        } else {
            string(Double.toString(d));
        }
    }

    void number(float f) {
        if (Float.isFinite(f)) {
            ascii(Float.toString(f));
        } else {
            string(Float.toString(f));
        }
    }

    /** Any other Number by its text: as a JSON number when it is one, else as a string. */
    void number(Number n) {
        String t = n.toString();
        if (NUMBER.matcher(t).matches()) {
            ascii(t);
        } else {
            string(t);
        }
    }

    /** Characters known to be ASCII and to need no escape (number text). */
    void ascii(String s) {
        int len = s.length();
        ensure(len);
        for (int i = 0; i < len; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    void bool(boolean v) {
        ascii(v ? "true" : "false");
    }

    /** The bytes of one JSON name, quoted and escaped, with its colon: {@code "name":}. */
    static byte[] name(String name) {
        JsonBytes b = new JsonBytes(name.length() + 3);
        b.string(name);
        b.raw((byte) ':');
        return b.toByteArray();
    }
}
