package caravan.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A log file that rotates itself the way logrotate does, so the tailer's rotation handling can be
 * exercised: {@link Mode#RENAME} moves {@code f} to {@code f.1} and starts a new {@code f};
 * {@link Mode#COPYTRUNCATE} copies {@code f} to {@code f.1} and truncates {@code f} in place.
 * Older copies shift up to {@code f.<keep>}; the one beyond is deleted.
 */
public final class RotatingFile extends OutputStream {

    /** How the file is rotated. */
    public enum Mode { RENAME, COPYTRUNCATE }

    private final Path file;
    private final Mode mode;
    private final long maxBytes;
    private final int keep;
    private FileChannel channel;
    private long written;
    private int rotations;

    /** @param maxBytes rotate before a write would take the file past this size; 0 = never */
    public RotatingFile(Path file, Mode mode, long maxBytes, int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("--rotate-keep must be at least 1");
        }
        this.file = file;
        this.mode = mode;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.channel = open();
        this.written = channel.size();
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Writes whole lines only: callers pass one or more complete lines, so a rotation never splits one. */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (maxBytes > 0 && written > 0 && written + len > maxBytes) {
            rotate();
        }
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        written += len;
    }

    /** How many times the file has rotated. */
    public int rotations() {
        return rotations;
    }

    private void rotate() throws IOException {
        Files.deleteIfExists(numbered(keep));
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(numbered(i))) {
                Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (mode == Mode.RENAME) {
            channel.close();
            Files.move(file, numbered(1));
            channel = open();
        } else {
            channel.force(false);
            Files.copy(file, numbered(1));
            channel.truncate(0);
        }
        written = 0;
        rotations++;
    }

    private Path numbered(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
