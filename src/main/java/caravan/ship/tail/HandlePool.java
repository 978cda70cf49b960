package caravan.ship.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * The open file handles, at most maxOpenFiles of them: a file is opened when it has something to
 * read, closed when idle, and the least recently read one is closed to make room. Reader thread
 * only, except {@link #open()} which the open-files gauge reads.
 */
final class HandlePool {
    private final int max;
    private final Iterable<TailedFile> files;
    /** Told when a file is no longer at its path (deleted, or renamed between a look and the open). */
    private final Consumer<TailedFile> gone;
    private final byte[] scratch;
    private volatile int open;

    HandlePool(int max, int scratchBytes, Iterable<TailedFile> files, Consumer<TailedFile> gone) {
        this.max = max;
        this.files = files;
        this.gone = gone;
        this.scratch = new byte[scratchBytes];
    }

    int open() {
        return open;
    }

    /** Makes sure {@code f} has a channel; false if it cannot have one now (no room, or gone). */
    boolean ensureOpen(TailedFile f) throws IOException {
        if (f.ch != null) {
            return true;
        }
        if (open >= max && !evictOne(f)) {
            return false;
        }
        FileChannel ch = openByPath(f);
        if (ch == null) {
            return false;
        }
        f.ch = ch;
        open++;
        return true;
    }

    /**
     * The file's channel, or else one opened for a look, which the caller gives back with
     * {@link #release} at once. A look must not wait for a handle: it makes room like
     * {@link #ensureOpen}, and takes one beyond max only when no handle can be closed (every one
     * is a new file's look or a rotated-away file being drained). Null if the file is no longer at
     * its path.
     */
    FileChannel peek(TailedFile f) throws IOException {
        if (f.ch != null) {
            return f.ch;
        }
        if (open >= max) {
            evictOne(f);
        }
        FileChannel ch = openByPath(f);
        if (ch != null) {
            open++;
        }
        return ch;
    }

    /**
     * A look at a file not read yet (a new file's head), counted against max like any handle;
     * room is made by closing the least recently read file. When none can be closed (every handle
     * is a look or a rotated-away file being drained), null, unless {@code evenBeyondMax}: a scan
     * takes one look beyond max then, so that new files are never left unread behind a drain.
     */
    FileChannel openLook(Path p, boolean evenBeyondMax) throws IOException {
        if (open >= max && !evictOne(null) && !evenBeyondMax) {
            return null;
        }
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
        open++;
        return ch;
    }

    /** Gives back a handle: a look from {@link #peek} or {@link #openLook}, or a file's own. */
    void release(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // read-only channel: nothing was lost
        }
        open--;
    }

    /** How many new files one scan may look at together: all handles but one, kept for a copy check's look. */
    int lookBudget() {
        return Math.max(1, max - 1);
    }

    private FileChannel openByPath(TailedFile f) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(f.path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            gone.accept(f);
            return null;
        }
        if (!FileKey.stat(f.path).key().equals(f.key)) {
            ch.close(); // renamed between the look and the open
            gone.accept(f);
            return null;
        }
        return ch;
    }

    /** At maxOpenFiles: close the least recently read file that can be reopened by its name. */
    private boolean evictOne(TailedFile except) {
        TailedFile victim = null;
        for (TailedFile f : files) {
            if (f != except && f.ch != null && f.attached && (victim == null || f.lastRead < victim.lastRead)) {
                victim = f;
            }
        }
        if (victim == null) {
            return false;
        }
        close(victim);
        return true;
    }

    void close(TailedFile f) {
        if (f.ch != null) {
            release(f.ch);
            f.ch = null;
        }
    }

    /** Hash of {@code len} bytes at {@code pos}, or ~0 if the file is shorter. */
    long hashAt(FileChannel ch, long pos, int len) throws IOException {
        int n = readAt(ch, pos, scratch, 0, len);
        return n == len ? Hashes.hash(scratch, 0, len) : ~0L;
    }

    /**
     * Does the file still hold an anchor, the {@code |len|} bytes that end at {@code end}? A zero
     * length is no anchor and always holds; a negative one is a version 1 checkpoint's, hashed by
     * {@link Hashes#hash} (until the stream's next acknowledged line replaces it).
     */
    boolean holdsAnchor(FileChannel ch, long end, int len, long hash) throws IOException {
        if (len == 0) {
            return true;
        }
        int n = Math.abs(len);
        return end >= n && (len > 0 ? anchorAt(ch, end, n) : hashAt(ch, end - n, n)) == hash;
    }

    /** The anchor of the {@code len} bytes ending at {@code end} (~0 if the file is shorter). */
    long anchorAt(FileChannel ch, long end, int len) throws IOException {
        int n = readAt(ch, end - len, scratch, 0, len);
        return n == len ? Hashes.anchor(scratch, 0, len) : ~0L;
    }

    /** Reads up to {@code len} bytes at {@code pos}; fewer only at the end of the file. */
    static int readAt(FileChannel ch, long pos, byte[] into, int off, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(into, off, len);
        int total = 0;
        while (bb.hasRemaining()) {
            int n = ch.read(bb, pos + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
