package caravan.ship.tail;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Cuts one file's bytes into lines, with bounded memory.
 *
 * <p>The splitter holds no bytes of an incomplete line: its owner re-reads the file from
 * {@link #scanPos()} each time, so a half-written last line costs nothing while it waits for its
 * newline. A line longer than {@code maxLineBytes} is the exception: its first
 * {@code maxLineBytes} bytes are kept (cut on a UTF-8 boundary) and the rest is skipped, unread
 * into memory, up to the newline; the line is then handed over once, flagged as truncated, ending
 * after its newline so that the checkpoint moves past all of it.
 *
 * <p>Every line carries an anchor: the hash of the (up to) {@value #ANCHOR_MAX} file bytes that end
 * where the line ends. A checkpoint at that position keeps the anchor, and a later resume there
 * first checks that the file still holds those bytes.
 */
final class LineSplitter {
    static final int ANCHOR_MAX = 64;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Receives lines. Returning false refuses the line (the in-flight window is full): it stays unread. */
    interface LineSink {
        boolean line(Line line);
    }

    private final int maxLineBytes;
    private long readPos;
    private long scanPos;
    private byte[] kept;
    private long longStart;

    LineSplitter(int maxLineBytes, long pos) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive");
        }
        this.maxLineBytes = maxLineBytes;
        reset(pos);
    }

    /** Start of the first byte not yet handed over as (part of) a line. */
    long readPos() {
        return readPos;
    }

    /** Where the next read must start: {@link #readPos()}, or further on while skipping a long line. */
    long scanPos() {
        return scanPos;
    }

    boolean skippingLongLine() {
        return kept != null;
    }

    void reset(long pos) {
        readPos = pos;
        scanPos = pos;
        kept = null;
    }

    /** The size a read buffer needs: any line that is not too long fits whole, with its newline. */
    int minBuffer() {
        return maxLineBytes + 2;
    }

    /**
     * Splits {@code buf[0..n)}, the file's bytes from {@link #scanPos()}. Returns false if the sink
     * refused a line; the positions then stop before it.
     */
    boolean feed(byte[] buf, int n, LineSink sink) {
        long base = scanPos;
        int s = 0;
        if (kept != null) {
            int nl = indexOfNewline(buf, 0, n);
            if (nl < 0) {
                scanPos = base + n;
                return true;
            }
            int a = Math.max(0, nl + 1 - ANCHOR_MAX);
            if (!sink.line(new Line(kept, 0, kept.length, longStart, base + nl + 1, true, nl + 1 - a,
                    Hashes.anchor(buf, a, nl + 1 - a)))) {
                scanPos = base + nl;
                return false;
            }
            kept = null;
            s = nl + 1;
        }
        int nl;
        while ((nl = indexOfNewline(buf, s, n)) >= 0) {
            int len = nl - s;
            if (len > 0 && buf[nl - 1] == '\r') {
                len--;
            }
            boolean truncated = len > maxLineBytes;
            if (truncated) {
                len = utf8Cut(buf, s, maxLineBytes);
            }
            int a = Math.max(0, nl + 1 - ANCHOR_MAX);
            if (!sink.line(new Line(buf, s, len, base + s, base + nl + 1, truncated, nl + 1 - a,
                    Hashes.anchor(buf, a, nl + 1 - a)))) {
                readPos = base + s;
                scanPos = readPos;
                return false;
            }
            s = nl + 1;
        }
        readPos = base + s;
        if (n - s > maxLineBytes) {
            // Too long already and no newline yet: keep the head, skip the rest as it comes.
            kept = Arrays.copyOfRange(buf, s, s + utf8Cut(buf, s, maxLineBytes));
            longStart = readPos;
            scanPos = base + n;
        } else {
            scanPos = readPos;
        }
        return true;
    }

    /** Where {@link #flushPartial} wants its bytes to start: it needs the anchor bytes, not the skipped middle of a long line. */
    long partialFrom() {
        return kept != null ? Math.max(longStart, scanPos - ANCHOR_MAX) : readPos;
    }

    /**
     * The file stopped growing in the middle of a line and the caller waited long enough: hands the
     * incomplete line over as it is. {@code buf[0..n)} holds the file from {@link #partialFrom()} to
     * its end. Returns false if the sink refused.
     */
    boolean flushPartial(byte[] buf, int n, LineSink sink) {
        long from = partialFrom();
        long end = from + n;
        if (end <= readPos) {
            return true;
        }
        int a = Math.max(0, n - ANCHOR_MAX);
        boolean ok = kept != null
                ? sink.line(new Line(kept, 0, kept.length, longStart, end, true, n - a, Hashes.anchor(buf, a, n - a)))
                : sink.line(new Line(buf, 0, n, from, end, false, n - a, Hashes.anchor(buf, a, n - a)));
        if (ok) {
            reset(end);
        }
        return ok;
    }

    /** The first '\n' in {@code a[from..to)}, or -1; eight bytes at a time, since it runs over every byte shipped. */
    static int indexOfNewline(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(a, i) ^ 0x0A0A0A0A0A0A0A0AL;
            // a zero byte is a newline; the lowest flag is exact (a borrow only flags bytes above it)
            long found = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** True if no byte of {@code a[from..to)} has its high bit set; eight bytes at a time. */
    static boolean ascii(byte[] a, int from, int to) {
        long high = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            high |= (long) LONGS.get(a, i);
        }
        for (; i < to; i++) {
            high |= a[i];
        }
        return (high & 0x8080808080808080L) == 0;
    }

    /** The longest length up to {@code max} that does not end inside a UTF-8 sequence. */
    static int utf8Cut(byte[] a, int off, int max) {
        int end = off + max;
        if (end >= a.length) {
            return max;
        }
        int back = 0;
        // A continuation byte (10xxxxxx) at the cut means the cut splits a character.
        while (back < 3 && end - back > off && (a[end - back] & 0xC0) == 0x80) {
            back++;
        }
        if (back > 0 && (a[end - back] & 0xC0) == 0xC0) {
            return max - back;
        }
        return max;
    }
}
