package caravan.ship.tail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A logger writing numbered lines as fast as it can, with the two logrotate schemes applied from
 * another thread:
 * <ul>
 *   <li>{@link #rotateRename}: rename, keep writing a little to the renamed file through the old
 *       descriptor (the logger has not reopened yet), then reopen a new file;</li>
 *   <li>{@link #rotateCopyTruncate}: copy, then truncate in place. Done under the writer's lock:
 *       lines written between logrotate's copy and truncate are lost by copytruncate itself, in
 *       any tailer, and the test counts lines a tailer could have shipped.</li>
 * </ul>
 */
final class RotatingWriter implements AutoCloseable {
    private final Path file;
    private final String prefix;
    private final int lineLength;
    private final List<String> written = Collections.synchronizedList(new ArrayList<>());
    // fair: the writer must not starve the rotating thread (it would rotate late, then in bursts)
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock(true);
    private FileChannel ch;
    private int next;
    private int rotations;
    private volatile boolean stop;
    private Thread thread;
    private volatile int limit = Integer.MAX_VALUE;

    RotatingWriter(Path file, String prefix, int lineLength) throws IOException {
        this.file = file;
        this.prefix = prefix;
        this.lineLength = lineLength;
        this.ch = open();
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Writes lines in batches of {@code batch} until {@link #close} or {@code total} lines. */
    RotatingWriter start(int batch, int total) {
        return start(batch, total, 0);
    }

    /** Like {@link #start(int, int)}, at most {@code linesPerSecond} (0: as fast as it can). */
    RotatingWriter start(int batch, int total, int linesPerSecond) {
        limit = total;
        thread = new Thread(() -> {
            long t0 = System.nanoTime();
            while (!stop && next < limit) {
                writeBatch(Math.min(batch, limit - next));
                if (linesPerSecond > 0) {
                    long due = t0 + (long) next * 1_000_000_000L / linesPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            }
        }, "writer-" + prefix);
        thread.start();
        return this;
    }

    void writeBatch(int n) {
        lock.lock();
        try {
            n = Math.min(n, limit - next);
            StringBuilder sb = new StringBuilder(n * (lineLength + 1));
            List<String> lines = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String head = prefix + "-" + String.format("%08d", next++) + " ";
                String line = head + "x".repeat(Math.max(0, lineLength - head.length()));
                lines.add(line);
                sb.append(line).append('\n');
            }
            try {
                ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (written) {
                written.addAll(lines);
            }
        } finally {
            lock.unlock();
        }
    }

    void rotateRename() throws IOException {
        lock.lock();
        try {
            Path to = file.resolveSibling(file.getFileName() + "." + (++rotations));
            Files.move(file, to);
            writeBatch(50); // still writing through the old descriptor: these land in the renamed file
            ch.close();
            ch = open();
        } finally {
            lock.unlock();
        }
    }

    void rotateCopyTruncate() throws IOException {
        lock.lock();
        try {
            Path to = file.resolveSibling(file.getFileName() + "." + (++rotations));
            Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
            ch.truncate(0);
        } finally {
            lock.unlock();
        }
    }

    int rotations() {
        return rotations;
    }

    boolean done() {
        return thread == null || !thread.isAlive();
    }

    int count() {
        synchronized (written) {
            return written.size();
        }
    }

    List<String> written() {
        synchronized (written) {
            return new ArrayList<>(written);
        }
    }

    /** Stops writing and closes the file; idempotent. */
    void finish() throws IOException {
        stop = true;
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            ch.close();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        finish();
    }
}
