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
    private final Object lock = new Object();
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
        limit = total;
        thread = new Thread(() -> {
            while (!stop && next < limit) {
                writeBatch(Math.min(batch, limit - next));
            }
        }, "writer-" + prefix);
        thread.start();
        return this;
    }

    void writeBatch(int n) {
        synchronized (lock) {
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
            written.addAll(lines);
        }
    }

    void rotateRename() throws IOException {
        Path to;
        synchronized (lock) {
            to = file.resolveSibling(file.getFileName() + "." + (++rotations));
            Files.move(file, to);
        }
        writeBatch(50); // still writing through the old descriptor: these land in the renamed file
        synchronized (lock) {
            ch.close();
            ch = open();
        }
    }

    void rotateCopyTruncate() throws IOException {
        synchronized (lock) {
            Path to = file.resolveSibling(file.getFileName() + "." + (++rotations));
            Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
            ch.truncate(0);
        }
    }

    boolean done() {
        return thread == null || !thread.isAlive();
    }

    int count() {
        return written.size();
    }

    List<String> written() {
        synchronized (written) {
            return new ArrayList<>(written);
        }
    }

    @Override
    public void close() throws Exception {
        stop = true;
        if (thread != null) {
            thread.join();
        }
        synchronized (lock) {
            ch.close();
        }
    }
}
