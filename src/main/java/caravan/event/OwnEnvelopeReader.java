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

import java.nio.charset.StandardCharsets;

/**
 * Reads an envelope in the exact layout Caravan's own shipper writes ({@link Envelope#toJson}): the
 * members in their fixed order, no white space, ASCII strings. Every record on {@code logs-raw} the
 * indexer reads is one, and reading it by position skips the tokenizer, the name look-ups and the
 * parser set-up that a general JSON reader spends per record.
 *
 * <p>Anything else (another shipper's JSON, a member order or escape this does not know, a
 * character outside ASCII, bad JSON) gives {@code null}, and {@link Envelope#fromJson} reads it with
 * the general reader, which also says why bad input is bad. So this reader only ever agrees with the
 * general one or declines; EnvelopeTest checks that both give the same envelope, and EnvelopeFuzzTest
 * fuzzes that.
 */
final class OwnEnvelopeReader {
    /** Longer numbers are left to the general reader rather than checked for overflow here. */
    private static final int MAX_DIGITS = 18;
    private static final java.lang.invoke.VarHandle WORD =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** Records up to this size unescape without allocating; a larger one takes an array of its own. */
    private static final int MAX_SCRATCH = 1 << 16;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1024]);

    private final byte[] b;
    private int pos;

    private OwnEnvelopeReader(byte[] json) {
        this.b = json;
    }

    /** The envelope, or null if these bytes are not in the shipper's own layout (see the class comment). */
    static Envelope read(byte[] json) {
        return new OwnEnvelopeReader(json).envelope();
    }

    /** Each step below does nothing once one has declined (position -1); the end checks. */
    private Envelope envelope() {
        if (!expect(MESSAGE)) {
            return null;
        }
        String message = stringThen(PATH);
        String path = stringThen(OFFSET);
        long offset = number();
        boolean truncated = expect(FLAGS);
        String host = expect(HOST) ? stringThen(DATASET) : decline();
        String dataset = stringThen(CREATED);
        String created = string();
        String service = expect(SERVICE) ? string() : null;
        String source = expect(SOURCE) ? stringThen(FORMAT) : decline();
        String format = stringThen(FILE_ID);
        String fileId = string();
        String id = expect(ID) ? string() : null;
        if (message == null || !expect(END) || pos != b.length) {
            return null; // not this layout; or no message, which the general reader reports
        }
        return new Envelope(message, path, offset, host, dataset, created, service, source, format, fileId, truncated, id);
    }

    /** A string, then {@code token} must follow. */
    private String stringThen(byte[] token) {
        String s = string();
        return expect(token) ? s : decline();
    }

    /** Whether the bytes at the position are {@code token}; if so, moves past them. */
    private boolean expect(byte[] token) {
        int p = pos;
        if (p < 0 || p + token.length > b.length) {
            return false;
        }
        for (int i = 0; i < token.length; i++) {
            if (b[p + i] != token[i]) {
                return false;
            }
        }
        pos = p + token.length;
        return true;
    }

    /**
     * A JSON string of ASCII characters, or {@code null} for the literal; declines (position -1,
     * returns null) on anything else: no quote, a byte outside ASCII, a control character, a
     * {@code \}{@code u} escape or one JSON does not have.
     */
    private String string() {
        if (expect(NULL)) {
            return null;
        }
        int p = pos;
        if (p < 0 || p >= b.length || b[p] != '"') {
            return decline();
        }
        int start = p + 1;
        int q = nextSpecial(start);
        if (q < b.length && b[q] == '"') {
            pos = q + 1;
            return new String(b, start, q - start, StandardCharsets.ISO_8859_1);
        }
        return q < b.length && b[q] == '\\' ? escaped(start, q) : decline();
    }

    /**
     * The rest of a string that has escapes, from its start; {@code q} is at the first backslash. It is
     * unescaped into this thread's scratch array: a new one the size of the rest of the record made this
     * the index's second-largest allocation per document.
     */
    private String escaped(int start, int q) {
        byte[] out = SCRATCH.get();
        int need = b.length - start;
        if (out.length < need) {
            out = new byte[Math.max(need, Math.min(out.length * 2, MAX_SCRATCH))];
            if (out.length <= MAX_SCRATCH) {
                SCRATCH.set(out);
            }
        }
        int n = 0;
        int from = start;
        while (q < b.length) {
            System.arraycopy(b, from, out, n, q - from);
            n += q - from;
            byte c = b[q];
            if (c == '"') {
                pos = q + 1;
                return new String(out, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (c != '\\' || q + 1 >= b.length) {
                return decline();
            }
            byte e = switch (b[q + 1]) {
                case '"' -> '"';
                case '\\' -> '\\';
                case '/' -> '/';
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                default -> 0; // \\u and anything else: the general reader's
            };
            if (e == 0) {
                return decline();
            }
            out[n++] = e;
            from = q + 2;
            q = nextSpecial(from);
        }
        return decline();
    }

    /**
     * The index of the first byte from {@code from} that ends a plain run: a quote, a backslash, a
     * control character or a byte outside ASCII; {@code b.length} if none. Eight bytes at a time.
     */
    private int nextSpecial(int from) {
        int k = from;
        for (; k + 8 <= b.length; k += 8) {
            long x = (long) WORD.get(b, k);
            long quote = x ^ 0x2222222222222222L;
            long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
            // A borrow can flag a byte above a flagged one, never below: the lowest flag is a true one.
            long m = (x - 0x2020202020202020L | x | (quote - ONES) & ~quote | (backslash - ONES) & ~backslash) & HIGH_BITS;
            if (m != 0) {
                return k + (Long.numberOfTrailingZeros(m) >>> 3);
            }
        }
        for (; k < b.length; k++) {
            byte c = b[k];
            if (c == '"' || c == '\\' || c < 0x20) { // negative: outside ASCII
                return k;
            }
        }
        return b.length;
    }

    /** An integer of at most {@link #MAX_DIGITS} digits, as the writer prints a long; else declines. */
    private long number() {
        int p = pos;
        if (p < 0) {
            return 0;
        }
        boolean negative = p < b.length && b[p] == '-';
        if (negative) {
            p++;
        }
        int first = p;
        long v = 0;
        while (p < b.length && b[p] >= '0' && b[p] <= '9' && p - first < MAX_DIGITS) {
            v = v * 10 + (b[p++] - '0');
        }
        int digits = p - first;
        boolean more = p < b.length && b[p] >= '0' && b[p] <= '9';
        if (digits == 0 || more || (digits > 1 && b[first] == '0')
                || (p < b.length && (b[p] == '.' || b[p] == 'e' || b[p] == 'E'))) {
            decline();
            return 0;
        }
        pos = p;
        return negative ? -v : v;
    }

    private String decline() {
        pos = -1;
        return null;
    }
}
