package caravan.parse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Undoes the escaping web servers apply when they write a value into a log line.
 *
 * <p>Apache writes {@code \"}, {@code \\}, C escapes ({@code \n \t ...}) and {@code \xhh} for every
 * other byte outside printable ASCII; nginx writes {@code \xHH} (default) or JSON escapes
 * ({@code escape=json}: {@code \"} and backslash-u escapes with four hex digits). One decoder serves
 * all of them, because none of these writers can emit a backslash that is not the start of an escape.
 *
 * <p>{@code \x} runs are bytes: a run that is valid UTF-8 becomes its characters, a run that is not
 * (TLS handshakes sent to a plain-text port, binary junk) stays in its escaped form, readable and
 * lossless, rather than becoming replacement characters.
 */
final class Escapes {
    private Escapes() {
    }

    /** The decoded text of {@code s[from, to)}; a plain substring when there is no backslash. */
    static String decode(String s, int from, int to) {
        int bs = s.indexOf('\\', from);
        if (bs < 0 || bs >= to) {
            return s.substring(from, to);
        }
        StringBuilder out = new StringBuilder(to - from);
        out.append(s, from, bs);
        int i = bs;
        while (i < to) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= to) {
                out.append(c);
                i++;
                continue;
            }
            char n = s.charAt(i + 1);
            switch (n) {
                case 'x', 'X' -> i = bytes(s, i, to, out);
                case 'u' -> i = unicode(s, i, to, out);
                case 'n' -> i = two(out, '\n', i);
                case 't' -> i = two(out, '\t', i);
                case 'r' -> i = two(out, '\r', i);
                case 'b' -> i = two(out, '\b', i);
                case 'f' -> i = two(out, '\f', i);
                case 'v' -> i = two(out, '\u000b', i);
                case '"', '\\', '/', '\'' -> i = two(out, n, i);
                default -> {
                    out.append(c);
                    i++;
                }
            }
        }
        return out.toString();
    }

    /**
     * A JSON backslash-u escape; a surrogate half only with its partner, so the result never holds a
     * lone surrogate (which no JSON writer can encode as UTF-8).
     */
    private static int unicode(String s, int i, int to, StringBuilder out) {
        int v = i + 6 <= to ? hex(s, i + 2, 4) : -1;
        if (v < 0 || Character.isLowSurrogate((char) v)) {
            out.append('\\');
            return i + 1;
        }
        if (Character.isHighSurrogate((char) v)) {
            int w = i + 12 <= to && s.charAt(i + 6) == '\\' && s.charAt(i + 7) == 'u' ? hex(s, i + 8, 4) : -1;
            if (w < 0 || !Character.isLowSurrogate((char) w)) {
                out.append('\\');
                return i + 1;
            }
            out.append((char) v).append((char) w);
            return i + 12;
        }
        out.append((char) v);
        return i + 6;
    }

    private static int two(StringBuilder out, char c, int i) {
        out.append(c);
        return i + 2;
    }

    /** A run of {@code \xhh} escapes starting at {@code i}; returns the index after it. */
    private static int bytes(String s, int i, int to, StringBuilder out) {
        int start = i;
        int n = 0;
        int j = i;
        while (j + 4 <= to && s.charAt(j) == '\\' && (s.charAt(j + 1) == 'x' || s.charAt(j + 1) == 'X')
                && hex(s, j + 2, 2) >= 0) {
            n++;
            j += 4;
        }
        if (n == 0) {
            out.append('\\');
            return i + 1;
        }
        byte[] b = new byte[n];
        boolean ascii = true;
        for (int k = 0; k < n; k++) {
            b[k] = (byte) hex(s, start + 4 * k + 2, 2);
            ascii &= b[k] >= 0;
        }
        if (ascii) {
            for (byte x : b) {
                out.append((char) x);
            }
            return j;
        }
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            out.append(cb);
        } catch (CharacterCodingException e) {
            out.append(s, start, j);
        }
        return j;
    }

    private static int hex(String s, int at, int len) {
        int v = 0;
        for (int k = at; k < at + len; k++) {
            char c = s.charAt(k);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
