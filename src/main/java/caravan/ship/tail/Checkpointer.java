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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint file of one endpoint: the lock that keeps a second tailer (in this or another
 * process) off it, loading it, and writing it when something changed. Reader thread only, apart
 * from {@link #lock} and {@link #unlock} at start and stop, and the writes themselves once
 * {@link #writeInBackground} was called: they run on a thread of their own, because a write ends
 * with two fsyncs, and under another process's disk writes those took up to 877 ms here, time in
 * which the reader read nothing and saw no new file.
 */
final class Checkpointer {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    /** A write that keeps failing is said again this often, not on every retry. */
    private static final long REPEAT_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How long stopping waits for a write in progress (an fsync on a struggling disk). */
    private static final long STOP_WAIT_SECONDS = 30;
    private final CheckpointStore store;
    private final Saver saver;
    private final TailMetrics metrics;
    private FileChannel lockChannel;
    private FileLock lock;
    private boolean fresh;
    /** Counts changes other than offsets, and new streams; what the last finished write covered. */
    private long changes;
    private long savedChanges;
    private long added;
    private long savedAdded;
    /** Null: writes run on the reader thread (tests that drive the tailer step by step). */
    private ExecutorService writer;
    private Runnable onWritten = () -> { };
    /** The write in progress on the writer thread, if any; at most one at a time. */
    private Write pending;
    /** Why the last finished write failed; null once one succeeds. Read by health checks. */
    private volatile String failure;
    private long warnedAt;

    /** A checkpoint write failed; it was logged here (the caller only backs off). */
    static final class WriteFailed extends IOException {
        WriteFailed(IOException cause) {
            super(cause.toString(), cause);
        }
    }

    /** One write: what it holds, and how it ended (set by the writer thread). */
    private static final class Write {
        final List<CheckpointStore.Entry> entries;
        final List<Stream> streams;
        final long changes;
        final long added;
        volatile boolean done;
        volatile IOException failure;

        Write(List<CheckpointStore.Entry> entries, List<Stream> streams, long changes, long added) {
            this.entries = entries;
            this.streams = streams;
            this.changes = changes;
            this.added = added;
        }
    }

    /** Writes the file: {@link CheckpointStore#save}, or in tests a write that can be held up or fail. */
    interface Saver {
        void save(List<CheckpointStore.Entry> entries) throws IOException;
    }

    Checkpointer(Path file, TailMetrics metrics) {
        this.store = new CheckpointStore(file);
        this.saver = store::save;
        this.metrics = metrics;
    }

    Checkpointer(Path file, Saver saver, TailMetrics metrics) {
        this.store = new CheckpointStore(file);
        this.saver = saver;
        this.metrics = metrics;
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
            if (fresh) {
                changes++; // written even if nothing matches yet: startPosition=end applies to a fresh start only
            }
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

    /** From now on writes run on their own thread; {@code onWritten} is told when one finished. */
    void writeInBackground(String name, Runnable onWritten) {
        this.onWritten = onWritten;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "caravan-checkpoints-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Something other than an offset changed (a head widened, a stream forgotten). */
    void changed() {
        changes++;
    }

    /** A new stream: written before its first line is read (see {@link Identity#newStream}). */
    void added() {
        changes++;
        added++;
    }

    boolean hasUnsavedStreams() {
        return added != savedAdded;
    }

    /**
     * Writes the streams' acknowledged positions, if anything changed since the last write: on the
     * writer thread if there is one, and only once the write before has finished. A failed write is
     * thrown here, at the next call. False if a write still in progress put this one off.
     */
    boolean flush(Collection<Stream> streams) throws IOException {
        collect();
        if (pending != null) {
            return false; // asked again once it has finished
        }
        List<CheckpointStore.Entry> entries = new ArrayList<>(streams.size());
        List<Stream> order = new ArrayList<>(streams.size());
        boolean changed = changes != savedChanges;
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
            return true;
        }
        Write w = new Write(entries, order, changes, added);
        if (writer == null) {
            write(w);
            finish(w);
            return true;
        }
        pending = w;
        writer.execute(() -> {
            try {
                write(w);
            } finally {
                onWritten.run();
            }
        });
        return true;
    }

    /** Runs one write and says how it ended; an Error is passed on once the write is marked done. */
    private void write(Write w) {
        try {
            save(w.entries);
        } catch (IOException e) {
            w.failure = e;
        } catch (RuntimeException e) {
            w.failure = new IOException(e);
        } catch (Error e) {
            w.failure = new IOException(e);
            throw e;
        } finally {
            w.done = true;
        }
    }

    private void save(List<CheckpointStore.Entry> entries) throws IOException {
        long t0 = System.nanoTime();
        boolean ok = false;
        try {
            saver.save(entries);
            ok = true;
        } finally {
            metrics.checkpointWritten(System.nanoTime() - t0, ok);
        }
    }

    /** Takes in the write that finished on the writer thread, if one did; throws its failure. */
    void collect() throws IOException {
        if (pending != null && pending.done) {
            finish(pending);
        }
    }

    /**
     * Waits for the write in progress, then writes what is left: at stop, on the caller's thread.
     * A write in progress that failed (it was logged) does not stop the last one.
     */
    void flushNow(Collection<Stream> streams) throws IOException {
        ExecutorService w = writer;
        writer = null;
        try {
            awaitPending();
            try {
                collect();
            } catch (WriteFailed e) {
                // said already; the state it held is written now
            }
            flush(streams);
        } finally {
            stopWriter(w);
        }
    }

    /** Lets the write in progress end (a crash's rename is atomic anyway) without writing more. */
    void abandon() {
        ExecutorService w = writer;
        writer = null;
        awaitPending();
        pending = null;
        stopWriter(w);
    }

    private static void stopWriter(ExecutorService w) {
        if (w == null) {
            return;
        }
        w.shutdown();
        try {
            w.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS); // no write lands after the lock is let go
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPending() {
        // a write is two fsyncs, not worth a future: the caller is stopping
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_WAIT_SECONDS);
        while (pending != null && !pending.done) {
            if (System.nanoTime() > deadline) {
                LOG.warn("A checkpoint write to {} did not end within {} s; stopping without it", store.file(), STOP_WAIT_SECONDS);
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Why the last checkpoint write failed, or null if it succeeded. Any thread. */
    String failure() {
        return failure;
    }

    private void finish(Write w) throws IOException {
        pending = null;
        if (w.failure != null) {
            long now = System.nanoTime();
            if (failure == null || now - warnedAt >= REPEAT_WARNING_NANOS) {
                warnedAt = now;
                LOG.warn("Cannot write the checkpoints to {}: {}. New files are not read, and a restart reads again from the "
                        + "last checkpoint written, until a write succeeds: check the disk of checkpointDir", store.file(),
                        w.failure.toString(), failure == null ? w.failure : null); // the stack trace the first time only
            }
            failure = w.failure.toString();
            throw new WriteFailed(w.failure);
        }
        if (failure != null) {
            LOG.info("Checkpoints written to {} again", store.file());
        }
        failure = null;
        for (int i = 0; i < w.entries.size(); i++) {
            w.streams.get(i).savedOffset = w.entries.get(i).offset();
            w.streams.get(i).savedAhead = w.entries.get(i).ahead();
        }
        savedChanges = w.changes;
        savedAdded = w.added;
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
