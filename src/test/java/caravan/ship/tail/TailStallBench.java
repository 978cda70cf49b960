package caravan.ship.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * How long a line waits between its write and its delivery when another process writes to the
 * same disk: see {@code bench/tail-stall.sh}. Not a test: a main, run by the script.
 *
 * <p>A logger appends {@code rate} lines a second, each holding the time it was written; the tailer
 * (checkpointInterval 1000 ms, the default) hands them to a sink that acknowledges at once and
 * records each line's delay. With {@code pressure}, a thread writes 1 MiB blocks to another file
 * on the same file system and fsyncs every 64 MiB, as a busy database or a backup does.
 */
public final class TailStallBench {
    private TailStallBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        boolean pressure = args.length > 2 && Boolean.parseBoolean(args[2]);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("dir", "/tmp")), "tail-stall");
        long[] delays = new long[rate * (seconds + 5)];
        AtomicInteger n = new AtomicInteger();
        TailSink sink = e -> {
            String t = e.text();
            long written = Long.parseLong(t, 0, t.indexOf(' '), 10);
            int i = n.getAndIncrement();
            if (i < delays.length) {
                delays[i] = System.nanoTime() - written;
            }
            e.done(true, null);
        };
        Harness.Builder b = Harness.options(dir.resolve("*.log"), dir.resolve("cp"));
        b.checkpointInterval = 1000;
        Tailer tailer = new Tailer(b.build(), sink);
        var readers = Executors.newCachedThreadPool();
        tailer.start(readers);
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread disk = new Thread(() -> writeHard(dir.resolve("pressure.bin"), stop), "pressure");
        if (pressure) {
            disk.start();
        }
        int lines = log(dir.resolve("app.log"), rate, seconds);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (n.get() < lines && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        stop.set(true);
        disk.join();
        tailer.stop(5000);
        readers.shutdownNow();
        int got = Math.min(n.get(), delays.length);
        long[] d = Arrays.copyOf(delays, got);
        Arrays.sort(d);
        System.out.printf("RESULT pressure=%s lines=%d delivered=%d p50_ms=%.1f p99_ms=%.1f p999_ms=%.1f max_ms=%.1f%n",
                pressure, lines, n.get(), ms(d, 0.5), ms(d, 0.99), ms(d, 0.999), got == 0 ? 0 : d[got - 1] / 1e6);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static double ms(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * q)] / 1e6;
    }

    /** Appends {@code rate} lines a second, a millisecond's worth at a time; returns how many. */
    private static int log(Path file, int rate, int seconds) throws IOException {
        String pad = " " + "x".repeat(80) + "\n";
        int total = rate * seconds;
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            StringBuilder sb = new StringBuilder();
            for (int written = 0; written < total; ) {
                long due = t0 + (long) written * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                sb.setLength(0);
                int k = Math.min(Math.max(1, rate / 1000), total - written);
                long now = System.nanoTime();
                for (int i = 0; i < k; i++) {
                    sb.append(now).append(pad);
                }
                ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                written += k;
            }
        }
        return total;
    }

    private static void writeHard(Path file, java.util.concurrent.atomic.AtomicBoolean stop) {
        ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long pos = 0;
            while (!stop.get()) {
                block.clear();
                while (block.hasRemaining()) {
                    pos += ch.write(block, pos);
                }
                if (pos % (64L << 20) == 0) {
                    ch.force(false);
                }
                if (pos >= 2L << 30) {
                    ch.truncate(0);
                    pos = 0;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
