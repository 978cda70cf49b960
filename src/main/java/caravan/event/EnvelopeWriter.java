package caravan.event;

import static caravan.event.EnvelopeLayout.MESSAGE;
import static caravan.event.EnvelopeLayout.PATH;
import static caravan.event.EnvelopeLayout.OFFSET;
import static caravan.event.EnvelopeLayout.FLAGS;
import static caravan.event.EnvelopeLayout.HOST;
import static caravan.event.EnvelopeLayout.DATASET;
import static caravan.event.EnvelopeLayout.CREATED;
import static caravan.event.EnvelopeLayout.SERVICE;
import static caravan.event.EnvelopeLayout.SOURCE;
import static caravan.event.EnvelopeLayout.FORMAT;
import static caravan.event.EnvelopeLayout.FILE_ID;
import static caravan.event.EnvelopeLayout.ID;
import static caravan.event.EnvelopeLayout.END;
import static caravan.event.EnvelopeLayout.NULL;
import static caravan.event.EnvelopeLayout.ascii;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes an {@link Envelope}'s JSON bytes, byte for byte what Jackson's generator writes
 * (EnvelopeJsonTest checks). One runs per thread and per line shipped, so it keeps what repeats:
 * its buffer, and each of the file's fields as last encoded, since every line of a file carries
 * the same path, host, dataset, source, format and file id, and a batch the same time.
 */
final class EnvelopeWriter {
    private static final byte[] HEX = ascii("0123456789ABCDEF");
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int KEEP_BYTES = 64 * 1024;
    /** Longer field values are encoded every time rather than kept. */
    private static final int MEMO_BYTES = 512;


    private static final int M_PATH = 0, M_HOST = 1, M_DATASET = 2, M_CREATED = 3, M_SERVICE = 4, M_SOURCE = 5,
            M_FORMAT = 6, M_FILE_ID = 7;
    private final String[] memoOf = new String[8];
    private final byte[][] memo = new byte[8][];
    private byte[] b;
    private int n;

    EnvelopeWriter(int capacity) {
        b = new byte[capacity];
    }

    byte[] write(Envelope e) {
        n = 0;
        put(MESSAGE);
        str(e.message());
        put(PATH);
        field(M_PATH, e.path());
        put(OFFSET);
        number(e.offset());
        if (e.truncated()) {
            put(FLAGS);
        }
        put(HOST);
        field(M_HOST, e.host());
        put(DATASET);
        field(M_DATASET, e.dataset());
        put(CREATED);
        field(M_CREATED, e.created());
        if (e.service() != null) {
            put(SERVICE);
            field(M_SERVICE, e.service());
        }
        put(SOURCE);
        field(M_SOURCE, e.source());
        put(FORMAT);
        field(M_FORMAT, e.format());
        put(FILE_ID);
        field(M_FILE_ID, e.fileId());
        if (e.id() != null) {
            put(ID);
            str(e.id());
        }
        put(END);
        byte[] json = Arrays.copyOf(b, n);
        if (b.length > KEEP_BYTES) {
            b = new byte[1024]; // a rare huge line does not stay pinned to the thread
        }
        return json;
    }

    /** A string that is usually the one of the line before: its bytes as written then. */
    private void field(int slot, String s) {
        if (s == null) {
            put(NULL);
            return;
        }
        String last = memoOf[slot];
        if (s == last || s.equals(last)) {
            put(memo[slot]);
            return;
        }
        int from = n;
        str(s);
        boolean keep = n - from <= MEMO_BYTES;
        memoOf[slot] = keep ? s : null;
        memo[slot] = keep ? Arrays.copyOfRange(b, from, n) : null;
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, b, n, bytes.length);
        n += bytes.length;
    }

    /** A long as Jackson writes it. */
    private void number(long v) {
        if (v < 0) {
            put(ascii(Long.toString(v))); // -1, "no offset": rare
            return;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = n + digits - 1; i >= n; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        n += digits;
    }

    private void ensure(int more) {
        if (n + more > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
        }
    }

    private void str(String s) {
        if (s == null) {
            put(NULL);
            return;
        }
        // ASCII, the common case: Latin-1 bytes are a plain copy of such a string (UTF-8's encoder
        // first scans it, which only C2 does as an intrinsic; the shipper runs C1). Then only what
        // JSON escapes, and what is not ASCII, is looked for. Chars above 0xFF and lone surrogates
        // become '?': a '?' that is not one in the string, or a byte above 0x7F, sends it the
        // general way.
        byte[] a = s.getBytes(StandardCharsets.ISO_8859_1);
        if (a.length == s.length()) {
            int start = n;
            ensure(a.length + 2);
            b[n++] = '"';
            int from = 0;
            boolean ascii = true;
            for (int i = 0; i < a.length; i++) {
                // Eight bytes at a time while none of them needs a look (most of a log line).
                while (i + 8 <= a.length && !special((long) LONGS.get(a, i))) {
                    i += 8;
                }
                if (i >= a.length) {
                    break;
                }
                byte c = a[i];
                if (c < 0x20 || c == '"' || c == '\\' || c == '?') { // c < 0: above 0x7F
                    if (c < 0 || c == '?' && s.charAt(i) != '?') {
                        ascii = false;
                        break;
                    }
                    if (c == '?') {
                        continue;
                    }
                    ensure(i - from + 7); // escapes make the string longer than the room made for it
                    System.arraycopy(a, from, b, n, i - from);
                    n += i - from;
                    escape((char) c);
                    from = i + 1;
                }
            }
            if (ascii) {
                ensure(a.length - from + 1);
                System.arraycopy(a, from, b, n, a.length - from);
                n += a.length - from;
                b[n++] = '"';
                return;
            }
            n = start;
        }
        ensure(s.length() + 2);
        b[n++] = '"';
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    if (n == b.length) {
                        ensure(len - i + 1);
                    }
                    b[n++] = (byte) c;
                } else {
                    escape(c);
                }
            } else if (c < 0x800) {
                ensure(len - i + 2);
                b[n++] = (byte) (0xC0 | c >> 6);
                b[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                escape(c); // as Jackson does: \\uD83D\\uDE00, not the 4-byte UTF-8 form
            } else {
                ensure(len - i + 3);
                b[n++] = (byte) (0xE0 | c >> 12);
                b[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
        ensure(1);
        b[n++] = '"';
    }

    /**
     * True if one of eight bytes is above 0x7F, below 0x20, '"', '\\' or '?': the word-at-a-time
     * tests for a zero byte and for a byte below n, whose borrows flag nothing unless such a byte
     * is there (the caller then looks at each byte).
     */
    private static boolean special(long w) {
        return ((w | ((w - 0x2020202020202020L) & ~w)
                | zero(w ^ 0x2222222222222222L) | zero(w ^ 0x5C5C5C5C5C5C5C5CL) | zero(w ^ 0x3F3F3F3F3F3F3F3FL))
                & 0x8080808080808080L) != 0;
    }

    private static long zero(long v) {
        return (v - 0x0101010101010101L) & ~v;
    }

    private void escape(char c) {
        ensure(6 + 1);
        b[n++] = '\\';
        switch (c) {
            case '"' -> b[n++] = '"';
            case '\\' -> b[n++] = '\\';
            case '\b' -> b[n++] = 'b';
            case '\t' -> b[n++] = 't';
            case '\n' -> b[n++] = 'n';
            case '\f' -> b[n++] = 'f';
            case '\r' -> b[n++] = 'r';
            default -> {
                b[n++] = 'u';
                b[n++] = HEX[c >> 12];
                b[n++] = HEX[c >> 8 & 0xF];
                b[n++] = HEX[c >> 4 & 0xF];
                b[n++] = HEX[c & 0xF];
            }
        }
    }
}
