package caravan.ops;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a job with a known total: a redrawn bar with rate and ETA on a terminal, plain lines
 * (one every few seconds) otherwise, so a log file or CI output is not filled with carriage returns.
 */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private final long total;
    private final long started = System.nanoTime();
    private final long plainEveryNanos;
    private long lastPlain;

    Progress(PrintStream out, boolean terminal, long total, long plainEveryMillis) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
        this.plainEveryNanos = plainEveryMillis * 1_000_000L;
        this.lastPlain = started;
    }

    /** Shows {@code done} of the total; cheap enough to call several times a second. */
    void update(long shipped, long done) {
        long now = System.nanoTime();
        if (terminal) {
            out.print("\r" + bar(shipped, done, now) + "\u001b[K");
            out.flush();
        } else if (now - lastPlain >= plainEveryNanos) {
            lastPlain = now;
            out.println(plain(shipped, done, now));
            out.flush();
        }
    }

    void finish(long done) {
        double secs = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        if (terminal) {
            out.print("\r" + bar(done, done, System.nanoTime()) + "\u001b[K\n");
        }
        out.printf(Locale.ROOT, "done: %d lines indexed in %.1f s (%.0f lines/s)%n", done, secs, done / secs);
        out.flush();
    }

    String bar(long shipped, long done, long now) {
        double f = total == 0 ? 1 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(f * WIDTH);
        return String.format(Locale.ROOT, "[%s%s] %3.0f%% %d/%d lines  %s lines/s  ETA %s",
                "#".repeat(filled), "-".repeat(WIDTH - filled), f * 100, done, total,
                Math.round(rate(done, now)), eta(done, now));
    }

    String plain(long shipped, long done, long now) {
        return String.format(Locale.ROOT, "progress: shipped %d/%d, indexed %d/%d lines (%d lines/s, ETA %s)",
                shipped, total, done, total, Math.round(rate(done, now)), eta(done, now));
    }

    private double rate(long done, long now) {
        double secs = (now - started) / 1e9;
        return secs <= 0 ? 0 : done / secs;
    }

    private String eta(long done, long now) {
        double r = rate(done, now);
        if (done >= total) {
            return "0s";
        }
        if (r <= 0) {
            return "?";
        }
        long s = (long) Math.ceil((total - done) / r);
        return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }
}
