package caravan.ship.tail;

import com.google.re2j.Pattern;
import java.util.Arrays;

/**
 * Joins continuation lines (a Java stack trace under its message) into one event.
 *
 * <p>Two ways to say which lines belong together, both with a RE2/J expression (linear time, so a
 * hostile log line cannot stall the reader), searched anywhere in the line unless anchored:
 * <ul>
 *   <li>{@link Mode#CONTINUE}: a line that matches continues the event before it
 *       ({@code ^\s+at |^\s+\.\.\. \d+ more|^Caused by:});</li>
 *   <li>{@link Mode#START}: a line that matches starts a new event, any other line continues
 *       ({@code ^\d{4}-\d{2}-\d{2}}).</li>
 * </ul>
 * {@code negate} inverts the match. An event is complete when the next one starts, or when the
 * owner flushes it after a quiet period.
 *
 * <p>An event keeps at most {@code maxLines} lines and {@code maxBytes} bytes; further continuation
 * lines are dropped from its text, the event is flagged truncated, and its end still moves past
 * them so that the checkpoint does too. The event's offset is its first line's.
 */
final class MultilineJoiner {
    enum Mode { START, CONTINUE }

    /** Receives joined events. */
    interface EventSink {
        void event(Line event);
    }

    private final Pattern pattern;
    private final Mode mode;
    private final boolean negate;
    private final int maxLines;
    private final int maxBytes;

    private byte[] buf = new byte[1024];
    private int len;
    private int lines;
    private long start = -1;
    private boolean truncated;
    /** The pending event's last line: its end and anchor are the event's (its bytes are not kept). */
    private Line last;

    MultilineJoiner(String regex, Mode mode, boolean negate, int maxLines, int maxBytes) {
        this.pattern = Pattern.compile(regex);
        this.mode = mode;
        this.negate = negate;
        this.maxLines = Math.max(1, maxLines);
        this.maxBytes = Math.max(1, maxBytes);
    }

    boolean hasPending() {
        return start >= 0;
    }

    /** Offset of the pending event's first line, or -1. */
    long pendingStart() {
        return start;
    }

    /** Takes the next line; may complete (and hand over) the event before it. */
    void line(Line line, EventSink out) {
        byte[] a = line.bytes();
        int off = line.off();
        int n = line.len();
        boolean matched = pattern.matcher(line.text()).find() != negate;
        boolean continues = mode == Mode.CONTINUE ? matched : !matched;
        if (!continues || start < 0) {
            flush(out);
            start = line.start();
            len = 0;
            lines = 0;
            truncated = false;
            append(a, off, n, false);
        } else {
            append(a, off, n, true);
        }
        truncated |= line.truncated();
        last = line;
    }

    private void append(byte[] a, int off, int n, boolean newline) {
        int extra = (newline ? 1 : 0) + n;
        if (lines >= maxLines || len + extra > maxBytes) {
            if (lines == 0) {
                // a single line over maxBytes: keep what fits
                int keep = LineSplitter.utf8Cut(a, off, Math.min(n, maxBytes));
                ensure(keep);
                System.arraycopy(a, off, buf, 0, keep);
                len = keep;
                lines = 1;
            }
            truncated = true;
            return;
        }
        ensure(len + extra);
        if (newline) {
            buf[len++] = '\n';
        }
        System.arraycopy(a, off, buf, len, n);
        len += n;
        lines++;
    }

    private void ensure(int capacity) {
        if (capacity > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(capacity, Math.min(maxBytes, buf.length * 2)));
        }
    }

    /** Hands over the pending event, if any. */
    void flush(EventSink out) {
        if (start < 0) {
            return;
        }
        long s = start;
        start = -1;
        out.event(last.spanning(buf, len, s, truncated));
        if (buf.length > 64 * 1024) {
            buf = new byte[1024]; // don't hold a big stack trace's buffer forever
        }
    }

    /** Forgets the pending event (its lines will be read again). */
    void clear() {
        start = -1;
    }
}
