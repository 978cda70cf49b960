package caravan.ship.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The checkpoint file of one endpoint: the lock that keeps a second tailer (in this or another
 * process) off it, loading it, and writing it when something changed. Reader thread only, apart
 * from {@link #lock} and {@link #unlock} at start and stop.
 */
final class Checkpointer {
    private final CheckpointStore store;
    private FileChannel lockChannel;
    private FileLock lock;
    private boolean fresh;
    private boolean dirty;
    /** A stream was created and is not in the file yet: none of its lines may be read before it is. */
    private boolean unsavedStreams;

    Checkpointer(Path file) {
        this.store = new CheckpointStore(file);
    }

    Path file() {
        return store.file();
    }

    /** True if there was no checkpoint file at start: startPosition applies then only. */
    boolean freshStart() {
        return fresh;
    }

    /** Takes the lock and reads the file; the lock is let go again if that fails. */
    List<Stream> open() throws IOException {
        lock();
        try {
            fresh = !Files.exists(store.file());
            // Write the file even if nothing matches yet: startPosition=end applies to a fresh start only.
            dirty = fresh;
            List<Stream> out = new ArrayList<>();
            for (CheckpointStore.Entry e : store.load()) {
                Stream s = Stream.of(e);
                s.savedOffset = e.offset();
                out.add(s);
            }
            return out;
        } catch (IOException | RuntimeException e) {
            unlock();
            throw e;
        }
    }

    /** Something other than an offset changed (a head widened, a stream forgotten). */
    void changed() {
        dirty = true;
    }

    /** A new stream: written before its first line is read (see {@link Identity#newStream}). */
    void added() {
        dirty = true;
        unsavedStreams = true;
    }

    boolean hasUnsavedStreams() {
        return unsavedStreams;
    }

    /** Writes the streams' acknowledged positions, if anything changed since the last write. */
    void flush(Collection<Stream> streams) throws IOException {
        List<CheckpointStore.Entry> entries = new ArrayList<>(streams.size());
        List<Stream> order = new ArrayList<>(streams.size());
        boolean changed = dirty;
        for (Stream s : streams) {
            CheckpointStore.Entry e = s.checkpoint();
            entries.add(e);
            order.add(s);
            if (!e.ahead().equals(s.savedAhead)) {
                changed = true;
            }
            if (e.offset() != s.savedOffset) {
                changed = true;
                if (s.boundTo != null && e.offset() > s.savedOffset) {
                    s.boundTo.failures = 0; // delivery works again: the next failure starts the backoff over
                }
            }
        }
        if (!changed) {
            return;
        }
        store.save(entries);
        for (int i = 0; i < entries.size(); i++) {
            order.get(i).savedOffset = entries.get(i).offset();
            order.get(i).savedAhead = entries.get(i).ahead();
        }
        dirty = false;
        unsavedStreams = false;
    }

    private void lock() throws IOException {
        Path lockFile = store.file().resolveSibling(store.file().getFileName() + ".lock");
        Files.createDirectories(lockFile.toAbsolutePath().getParent());
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("checkpoint file " + store.file() + " is in use by another tail: endpoint "
                    + "(in this or another process); give each endpoint its own checkpointName");
        }
    }

    void unlock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            // closing anyway: the process's exit lets go of the lock too
        }
        lock = null;
        lockChannel = null;
    }
}
