package caravan.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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

    /** Eight bytes of the buffer at a time, to look for bytes that need an escape word by word. */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private byte[] buf;
    private int pos;
    /** A string's chars, for the character-by-character paths: reused. */
    private char[] chars = new char[256];

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
            grow(more);
        }
    }

    /** Out of line, so that every write's check stays small enough to inline. */
    private void grow(int more) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }

    /** A copy of what was written from {@code from} on. */
    byte[] copyFrom(int from) {
        return Arrays.copyOfRange(buf, from, pos);
    }

    /** What was written from {@code from} on, into {@code reuse} when it is large enough, else into a new array. */
    byte[] copyFrom(int from, byte[] reuse) {
        int n = pos - from;
        byte[] to = reuse != null && reuse.length >= n ? reuse : new byte[Math.max(n, 64)];
        System.arraycopy(buf, from, to, 0, n);
        return to;
    }

    /** Copies what was written from {@code from} on into {@code to}, which has exactly that length. */
    void copyTo(int from, byte[] to) {
        System.arraycopy(buf, from, to, 0, to.length);
    }

    /** Again the bytes written at {@code [from, to)} of this document. */
    void again(int from, int to) {
        ensure(to - from);
        System.arraycopy(buf, from, buf, pos, to - from);
        pos += to - from;
    }

    void raw(byte[] b, int length) {
        ensure(length);
        System.arraycopy(b, 0, buf, pos, length);
        pos += length;
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
     * A quoted, escaped JSON string. A long one is taken as Latin-1 bytes first: for a string of
     * ASCII characters (nearly every log field) that is a plain copy of the string's own bytes,
     * where UTF-8's encoder would first scan them (an intrinsic of C2 only; the shipper runs C1).
     * Those bytes are searched eight at a time for a quote, a backslash or a control character, and
     * copied to the buffer in runs between them. A string that is not all ASCII is written
     * character by character instead ({@link #charRuns}): a byte above 0x7F says so, as does a
     * {@code ?} that the string does not hold (a character beyond Latin-1).
     */
    void string(String s) {
        int len = s.length();
        if (len <= SHORT) {
            shortString(s, len);
            return;
        }
        byte[] latin1 = s.getBytes(StandardCharsets.ISO_8859_1);
        int start = pos;
        ensure(len + 2); // room for every character as one byte, and the quotes
        buf[pos++] = '"';
        if (latin1.length != len || !asciiRuns(latin1, len, s)) { // a surrogate pair is one '?'
            pos = start + 1;
            charRuns(s, len);
        }
        ensure(1);
        buf[pos++] = '"';
    }

    /** Every character of {@code s}, run by run between those that are not plain ASCII. */
    private void charRuns(String s, int len) {
        if (len > chars.length) {
            chars = new char[Math.max(len, chars.length * 2)];
        }
        char[] c = chars;
        s.getChars(0, len, c, 0);
        for (int i = 0; i < len; ) {
            int end = plainRun(c, i, len);
            ensure(end - i);
            byte[] b = buf;
            int p = pos;
            for (int k = i; k < end; k++) {
                b[p + k - i] = (byte) c[k];
            }
            pos = p + end - i;
            if (end < len) {
                ensure(len - end + 7); // this character's six bytes at most, the others' one, the quote
                encode(c[end]);
            }
            i = end + 1;
        }
    }

    /**
     * The {@code n} bytes of {@code a}, the Latin-1 of {@code s}, escaped where JSON requires it,
     * run by run; false at a byte that is not ASCII, or at a {@code ?} that {@code s} does not hold
     * there (the caller starts over).
     */
    private boolean asciiRuns(byte[] a, int n, String s) {
        int from = 0;
        ensure(n + 8); // every byte as one, and a word's slack for the whole-word stores
        while (true) {
            int hit = copyPlain(a, from, n);
            if (hit == n) {
                return true;
            }
            ensure(n - hit + 7 + 8); // this byte's six at most, the others' one, the quote, the slack
            if (a[hit] < 0) {
                return false;
            }
            if (a[hit] == '?') {
                if (s.charAt(hit) != '?') {
                    return false;
                }
                buf[pos++] = '?';
            } else {
                encode((char) a[hit]);
            }
            from = hit + 1;
        }
    }

    /**
     * Copies {@code a[from, n)} to the buffer up to the first byte that needs an escape, eight bytes
     * at a time, and returns that byte's index ({@code n} if none). A word is stored whole and the
     * position moves past its plain bytes only: what lies beyond is overwritten next. The caller
     * makes room for {@code n - from} bytes and eight more.
     */
    private int copyPlain(byte[] a, int from, int n) {
        byte[] b = buf;
        int p = pos;
        int k = from;
        for (; k + 8 <= n; k += 8, p += 8) {
            long w = (long) WORD.get(a, k);
            WORD.set(b, p, w);
            long m = needsEscape(w);
            if (m != 0) {
                int plain = Long.numberOfTrailingZeros(m) >>> 3; // the lowest flagged byte is a true one
                pos = p + plain;
                return k + plain;
            }
        }
        for (; k < n; k++) {
            byte c = a[k];
            if (c < 0 || ESCAPE[c] != 0 || c == '?') {
                break;
            }
            b[p++] = c;
        }
        pos = p;
        return k;
    }

    /**
     * For eight bytes, the high bit of each byte that is above 0x7F, below 0x20, a quote, a
     * backslash or a question mark; 0 if none is. A borrow can flag a byte above a flagged one too,
     * never one below: the lowest flagged byte is always a true one.
     */
    private static long needsEscape(long x) {
        long quote = x ^ 0x2222222222222222L;
        long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
        long question = x ^ 0x3F3F3F3F3F3F3F3FL;
        return (x | x - 0x2020202020202020L | (quote - ONES) & ~quote | (backslash - ONES) & ~backslash
                | (question - ONES) & ~question) & HIGH_BITS;
    }

    /**
     * A short string: one character at a time costs less than setting up the encoder. From the
     * reused char array, as {@code charAt} checks the string's coder and bounds on every call.
     */
    private void shortString(String s, int len) {
        ensure(len * 6 + 2);
        char[] c = chars;
        s.getChars(0, len, c, 0);
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        for (int i = 0; i < len; i++) {
            char ch = c[i];
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
