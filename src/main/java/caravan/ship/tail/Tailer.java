package caravan.ship.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower behind {@code tail:}: one reader thread that takes turns over every matched file,
 * hands lines to a {@link Sink} asynchronously, and checkpoints what the sink acknowledged.
 *
 * <h2>Identity</h2>
 * A {@link Stream} is a file's content, followed across names and inodes. A file found on disk is
 * matched to a known stream by
 * <ol>
 *   <li>its <b>head</b>: the hash of its first {@code fingerprintBytes} bytes (fewer while the file
 *       is smaller; widened once it has grown, since the start of an appended file never changes),
 *       and</li>
 *   <li>its <b>anchor</b>: the hash of the 64 bytes just before the stream's resume position, which
 *       proves that the file still holds what was shipped before resuming there,</li>
 * </ol>
 * preferring the same device and inode (a rename, a restart), then any inode (a copy, a move to
 * another file system). Device and inode alone would be fooled by inode reuse after delete and
 * create, and by a file truncated and rewritten while Caravan was down (it would resume in the
 * middle of new content); a head alone would be fooled by files that begin alike. Together, plus
 * the anchor, a file is resumed only where its bytes are provably the ones already shipped.
 *
 * <p>The identity shipped as {@code caravan.file_id} is set once per stream, from the device, the
 * inode and the hash of the first line: deterministic, so the same file shipped again from scratch
 * gets the same document ids; and kept in the checkpoint, so it survives renames, restarts and
 * copytruncate copies. A file whose first line is still incomplete is not identified (and not
 * read) until the line is complete, or until partialLineTimeout has passed.
 *
 * <h2>Rotation</h2>
 * <ul>
 *   <li><b>rename and create</b>: the open handle keeps reading the renamed file to its end; it is
 *       let go after drainTimeout without growth and once Kafka acknowledged all of it. The new
 *       file is a new stream.</li>
 *   <li><b>copytruncate</b>: the shrink (or a head or anchor that no longer matches) ends the
 *       stream's binding; the file is re-identified as a new stream read from 0. If the copy
 *       matches the glob, the old stream continues in it from where it stopped, so the lines
 *       written between the last read and the truncation are not lost. After a restart, a
 *       stream whose inode is found rewritten counts as truncated while down
 *       ({@link #truncatedWhileDown}), so that its copy is judged the same way.</li>
 *   <li><b>delete and re-create</b>: like rename; the new file is a new stream even on a reused
 *       inode (its head and anchor differ).</li>
 * </ul>
 *
 * <h2>Delivery</h2>
 * Events go out without waiting, within a window of maxInflight events and maxInflightBytes. A
 * stream's checkpoint is the end of its longest contiguous prefix of acknowledged events
 * ({@link AckTracker}), written to disk every checkpointInterval and on stop; a new stream is
 * written at once, before its first line is read (see {@link #newStream}). A failed event makes
 * the file stop, wait for its other events, and read again from the checkpoint after a backoff,
 * skipping events that were acknowledged after the gap.
 */
final class Tailer {
    private static final Logger LOG = LoggerFactory.getLogger(Tailer.class);
    /** How long after a truncation a copy with the same head is taken for the copytruncate copy. */
    static final long COPY_WINDOW_MS = 60_000;
    /**
     * How long a possible copy of a truncated file must keep its size before it is taken as
     * finished, and as holding only what was already read: logrotate may pause while copying.
     */
    static final long COPY_SETTLE_MS = 2_000;
    private static final long IO_ERROR_LOG_INTERVAL_MS = 60_000;

    /** Where events go. {@link TailEvent#done} must be called exactly once per event, on any thread. */
    interface Sink {
        void send(TailEvent event);

        /**
         * Called on the reader thread after each file's turn: a sink that gathers events into
         * batches sends what it holds now, so no event waits for more lines that may never come.
         */
        default void flush() {
        }
    }

    private final TailOptions o;
    private final Sink sink;
    private final TailMetrics metrics;
    private final CheckpointStore store;
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private final Map<FileKey, TailedFile> files = new HashMap<>();
    private final List<TailedFile> order = new ArrayList<>();
    private final Map<Path, Long> deferred = new HashMap<>();
    /** Size of each not yet identified file and since when it has had that size: a copy may still be written. */
    private final Map<FileKey, long[]> candidateSizes = new HashMap<>();
    private final AtomicInteger inflight = new AtomicInteger();
    private final AtomicLong inflightBytes = new AtomicLong();
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile boolean running;
    private boolean started;
    private volatile boolean waitingForRoom;
    private volatile Thread reader;
    private volatile int openChannels;
    private boolean throttled;
    private boolean scanNow = true;
    private boolean freshStart;
    private boolean firstScan = true;
    private boolean storeDirty;
    /** A stream was created and is not in the checkpoint file yet: none of its lines may be read before it is. */
    private boolean unsavedStreams;
    private long nextScan;
    private long nextFlush;
    private long now;
    private int rr;
    private byte[] buf;
    private final byte[] scratch;
    private FileChannel lockChannel;
    private FileLock lock;

    Tailer(TailOptions options, Sink sink) {
        this.o = options;
        this.sink = sink;
        this.store = new CheckpointStore(options.checkpointFile());
        this.metrics = new TailMetrics(options.source());
        this.scratch = new byte[Math.max(options.fingerprintBytes(), LineSplitter.ANCHOR_MAX)];
    }

    /** Loads the checkpoints and starts reading on {@code executor} (one long-running task). */
    void start(Executor executor) throws IOException {
        lock();
        try {
            freshStart = !Files.exists(store.file());
            // Write the file even if nothing matches yet: startPosition=end applies to a fresh start only.
            storeDirty = freshStart;
            for (CheckpointStore.Entry e : store.load()) {
                Stream s = Stream.of(e);
                s.savedOffset = e.offset();
                streams.put(s.id, s);
            }
        } catch (IOException | RuntimeException e) {
            unlock();
            throw e;
        }
        buf = new byte[Math.max(o.readChunkBytes(), o.maxLineBytes() + 2)];
        metrics.openFiles(this, t -> t.openChannels);
        running = true;
        LOG.info("Tailing {} ({} known files in {})", o.glob(), streams.size(), store.file());
        try {
            executor.execute(this::run);
        } catch (RuntimeException e) {
            running = false;
            metrics.close();
            unlock();
            throw e;
        }
        started = true;
    }

    /**
     * Stops reading, waits up to {@code timeoutMs} for in-flight events, writes the checkpoints
     * and closes every file.
     */
    void stop(long timeoutMs) {
        if (!started) {
            return;
        }
        started = false;
        running = false;
        Thread t = reader;
        if (t != null) {
            LockSupport.unpark(t);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            if (!exited.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                LOG.warn("Tailer for {} did not stop within {} ms", o.glob(), timeoutMs);
            }
            while (inflight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inflight.get() > 0) {
            LOG.warn("Stopping with {} events of {} not acknowledged; they will be read again on start",
                    inflight.get(), o.glob());
        }
        try {
            flush();
        } catch (IOException e) {
            LOG.error("Could not write checkpoints to {}", store.file(), e);
        }
        for (TailedFile f : order) {
            closeChannel(f);
        }
        metrics.close();
        unlock();
    }

    int inflight() {
        return inflight.get();
    }

    // ------------------------------------------------------------------------------------------
    // The reader loop

    private void run() {
        reader = Thread.currentThread();
        try {
            while (running) {
                now = System.nanoTime() / 1_000_000;
                boolean progress = false;
                try {
                    if (scanNow || now >= nextScan) {
                        scanNow = false;
                        scan();
                        nextScan = now + o.scanInterval();
                    }
                    if (unsavedStreams) {
                        flush(); // new streams' identities reach the disk before their first line is sent
                        nextFlush = now + o.checkpointInterval();
                    }
                    progress = round();
                    if (now >= nextFlush) {
                        flush();
                        nextFlush = now + o.checkpointInterval();
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Tailing {} failed; carrying on: {}", o.glob(), e.toString(), e);
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                }
                if (!progress && running && !scanNow) {
                    waitingForRoom = throttled;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(o.pollDelay()));
                    waitingForRoom = false;
                }
            }
        } finally {
            exited.countDown();
        }
    }

    private boolean round() {
        if (throttled && inflight.get() <= lowWater(o.maxInflight()) && inflightBytes.get() <= lowWater(o.maxInflightBytes())) {
            throttled = false;
        }
        boolean progress = false;
        TailedFile[] snapshot = order.toArray(new TailedFile[0]);
        int n = snapshot.length;
        for (int k = 0; k < n && running; k++) {
            TailedFile f = snapshot[(rr + k) % n];
            if (f.stream.boundTo != f) {
                continue; // released during this round
            }
            try {
                progress |= turn(f);
            } catch (IOException e) {
                closeChannel(f);
                if (now - f.lastIoErrorLog > IO_ERROR_LOG_INTERVAL_MS) {
                    f.lastIoErrorLog = now;
                    LOG.warn("Cannot read {}: {}; retrying", f.path, e.toString());
                }
            } finally {
                flushSink();
            }
        }
        rr = n == 0 ? 0 : (rr + 1) % n;
        return progress;
    }

    private static long lowWater(long max) {
        return max - max / 4;
    }

    private boolean hasRoom() {
        return inflight.get() < o.maxInflight() && inflightBytes.get() < o.maxInflightBytes();
    }

    /** One file's turn: recover from failures, notice changes, read one chunk, handle timeouts. */
    private boolean turn(TailedFile f) throws IOException {
        Stream s = f.stream;
        if (!s.saved()) {
            return false; // its identity is not on disk yet (the write failed): see newStream
        }
        if (f.rewindPending || s.tracker.failed()) {
            f.rewindPending = true;
            if (s.tracker.inflight() == 0) {
                rewind(f);
            }
            return false;
        }
        if (now < f.retryAt) {
            return false;
        }
        long size = size(f);
        if (size < 0) {
            return false;
        }
        if (size != f.lastSize) {
            if (!ensureOpen(f)) {
                return false;
            }
            if (!verify(f, size)) {
                truncated(f, size);
                return true;
            }
            f.lastSize = size;
            f.lastChange = now;
            widenHead(f, size);
        }
        long from = f.splitter.scanPos();
        if (size > from && size != f.eofSize && !throttled) {
            if (!ensureOpen(f)) {
                return false;
            }
            int want = (int) Math.min(size - from, f.needBigRead ? buf.length : o.readChunkBytes());
            int n = readAt(f.ch, from, buf, 0, want);
            if (n <= 0) {
                return false;
            }
            long before = f.splitter.readPos();
            boolean wasSkipping = f.splitter.skippingLongLine();
            boolean all = f.splitter.feed(buf, n, f);
            long consumed = f.splitter.scanPos() - from;
            metrics.bytes.increment(consumed);
            f.lastRead = now;
            f.eofSize = all && from + n == size ? size : -1;
            // A line longer than a chunk but within maxLineBytes: read it whole next time.
            f.needBigRead = all && consumed == 0 && !wasSkipping && f.splitter.readPos() == before && want < buf.length;
            return consumed > 0;
        }
        idle(f, size);
        return false;
    }

    /** Nothing new to read: timeouts, draining, closing. */
    private void idle(TailedFile f, long size) throws IOException {
        long quiet = now - Math.max(f.lastChange, f.detachedAt);
        boolean partialOnly = size == f.eofSize && size > f.splitter.readPos();
        boolean drainNow = !f.attached && quiet >= o.drainTimeout();
        if (partialOnly && !throttled && hasRoom()
                && (drainNow || o.partialLineTimeout() > 0 && now - f.lastChange >= o.partialLineTimeout())) {
            if (ensureOpen(f)) {
                long from = f.splitter.partialFrom();
                int n = readAt(f.ch, from, buf, 0, (int) Math.min(buf.length, size - from));
                if (n == size - from) {
                    f.splitter.flushPartial(buf, n, f);
                    f.eofSize = -1;
                }
            }
            return;
        }
        if (f.joiner != null && f.joiner.hasPending() && (drainNow || now - f.lastLineAt >= o.multilineTimeout())) {
            f.joiner.flush(f);
            return;
        }
        if (drainNow && f.splitter.readPos() >= size && !f.splitter.skippingLongLine()
                && (f.joiner == null || !f.joiner.hasPending()) && f.stream.tracker.inflight() == 0) {
            LOG.debug("Done with rotated-away file {}", f);
            release(f);
            return;
        }
        if (f.ch != null && f.attached && now - Math.max(f.lastChange, f.lastRead) >= o.closeInactive()) {
            closeChannel(f);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Lines and events

    boolean onLine(TailedFile f, byte[] a, int off, int len, long start, long end, boolean truncated, int al, long ah) {
        if (!hasRoom()) {
            throttled = true;
            return false;
        }
        metrics.lines.increment();
        if (truncated) {
            metrics.truncated.increment();
        }
        if (f.joiner != null) {
            f.joiner.line(a, off, len, start, end, truncated, al, ah, f);
            f.lastLineAt = now;
        } else {
            emit(f, a, off, len, start, end, truncated, al, ah);
        }
        f.anchorLen = al;
        f.anchorHash = ah;
        return true;
    }

    void emit(TailedFile f, byte[] a, int off, int len, long start, long end, boolean truncated, int al, long ah) {
        Stream s = f.stream;
        long seq = s.tracker.register(start, end, al, ah);
        if (f.skip != null) {
            Long ackedEnd = f.skip.remove(start);
            if (f.skip.isEmpty()) {
                f.skip = null;
            }
            if (ackedEnd != null && ackedEnd == end) {
                s.tracker.complete(seq, true); // Kafka has it already: don't send it twice
                return;
            }
        }
        TailEvent e = new TailEvent(this, s, seq, start, new String(a, off, len, StandardCharsets.UTF_8), truncated, len);
        inflight.incrementAndGet();
        inflightBytes.addAndGet(len);
        try {
            sink.send(e);
        } catch (RuntimeException ex) {
            e.done(false, ex);
        }
    }

    private void flushSink() {
        try {
            sink.flush();
        } catch (RuntimeException ex) {
            // the sink completes (fails) the events it could not send; the file re-reads from its checkpoint
            LOG.warn("Sending a batch of {} failed: {}", o.glob(), ex.toString(), ex);
        }
    }

    void completed(TailEvent e, boolean ok, Throwable error) {
        Stream s = e.stream;
        if (!ok) {
            metrics.failures.increment();
            if (!s.tracker.failed()) {
                LOG.warn("Delivery of {} at offset {} failed; pausing it to re-read from its checkpoint: {}",
                        s.path, e.offset(), error == null ? "route failed" : error.toString());
            }
        }
        s.tracker.complete(e.seq, ok);
        int n = inflight.decrementAndGet();
        long b = inflightBytes.addAndGet(-e.weight);
        if (waitingForRoom && n <= lowWater(o.maxInflight()) && b <= lowWater(o.maxInflightBytes())) {
            waitingForRoom = false;
            Thread t = reader;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** After a failure, with nothing in flight: back to the checkpoint, after a backoff. */
    private void rewind(TailedFile f) {
        Stream s = f.stream;
        Map<Long, Long> acked = s.tracker.rewind();
        long c = s.tracker.committed();
        f.splitter.reset(c);
        if (f.joiner != null) {
            f.joiner.clear();
        }
        f.anchorLen = s.tracker.committedAnchorLen();
        f.anchorHash = s.tracker.committedAnchorHash();
        f.skip = acked.isEmpty() ? null : new HashMap<>(acked);
        f.eofSize = -1;
        f.lastSize = -1; // verify again: the file may have changed while we waited
        f.failures++;
        long delay = Math.min(o.retryMaxDelay(), o.retryDelay() << Math.min(20, f.failures - 1));
        f.retryAt = now + delay;
        f.rewindPending = false;
        LOG.info("Re-reading {} from offset {} in {} ms ({} later events already acknowledged are skipped)",
                s.path, c, delay, acked.size());
    }

    // ------------------------------------------------------------------------------------------
    // Identity checks on a followed file

    private long size(TailedFile f) throws IOException {
        if (f.ch != null) {
            return f.ch.size();
        }
        if (!f.attached) {
            // renamed out of the glob while closed, found by its inode: open it to drain it
            return ensureOpen(f) ? f.ch.size() : f.lastSize;
        }
        try {
            FileKey.Stat st = FileKey.stat(f.path);
            if (!st.key().equals(f.key)) {
                detach(f);
                return -1;
            }
            return st.size();
        } catch (NoSuchFileException e) {
            detach(f);
            return -1;
        }
    }

    /** Does the file still hold what this stream read from it? */
    private boolean verify(TailedFile f, long size) throws IOException {
        if (size < f.splitter.scanPos()) {
            return false;
        }
        Stream s = f.stream;
        if (s.headLen > 0 && (size < s.headLen || hashAt(f.ch, 0, s.headLen) != s.headHash)) {
            return false;
        }
        long r = f.splitter.readPos();
        return f.anchorLen <= 0 || hashAt(f.ch, r - f.anchorLen, f.anchorLen) == f.anchorHash;
    }

    /** A stream first seen while its file was small gets the full head once the file has grown. */
    private void widenHead(TailedFile f, long size) throws IOException {
        Stream s = f.stream;
        if (s.headLen < o.fingerprintBytes() && size >= o.fingerprintBytes()) {
            byte[] head = new byte[o.fingerprintBytes()];
            if (readAt(f.ch, 0, head, 0, head.length) == head.length) {
                s.head = head;
                s.headHash = Hashes.hash(head, 0, head.length);
                s.headLen = head.length;
                storeDirty = true;
            }
        }
    }

    /** The file shrank or no longer holds what was read: copytruncate, or truncated in place. */
    private void truncated(TailedFile f, long size) {
        Stream s = f.stream;
        long unread = Math.max(0, f.lastSize - f.splitter.readPos());
        metrics.rotation("truncate");
        if (f.joiner != null && f.joiner.hasPending()) {
            f.joiner.flush(f);
        }
        LOG.info("{} was truncated or rewritten (now {} bytes); its stream {} ends here{}", f.path, size, s.id,
                unread > 0 ? " with " + unread + " bytes unread, recovered only if the rotated copy matches the glob" : "");
        s.truncatedAt = now;
        release(f);
        scanNow = true;
    }

    private void detach(TailedFile f) {
        if (!f.attached) {
            return;
        }
        f.attached = false;
        f.detachedAt = now;
        scanNow = true;
        Path found = findByInode(f);
        if (found != null) {
            metrics.rotation("rename");
            LOG.debug("{} was renamed to {}; reading it to its end", f.path, found);
            f.path = found;
        } else {
            metrics.rotation("remove");
            if (f.ch == null) {
                long unread = Math.max(0, f.lastSize - f.splitter.readPos());
                if (unread > 0) {
                    LOG.warn("{} disappeared with {} bytes unread", f.path, unread);
                }
                release(f);
            }
        }
    }

    /** logrotate renames in place: look for the inode next to its old name. */
    private Path findByInode(TailedFile f) {
        Path dir = f.path.toAbsolutePath().getParent();
        if (dir == null) {
            return null;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                try {
                    if (FileKey.stat(p).key().equals(f.key)) {
                        return p;
                    }
                } catch (IOException e) {
                    // vanished meanwhile
                }
            }
        } catch (IOException e) {
            // directory gone
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------
    // Discovery

    private record Candidate(Path path, FileKey key, long size, byte[] head, FileChannel ch) {
    }

    private void scan() throws IOException {
        long wall = System.currentTimeMillis();
        List<Path> paths = o.glob().expand(o.exclude());
        Set<FileKey> seen = new HashSet<>();
        Set<Path> seenPaths = new HashSet<>();
        List<Candidate> candidates = new ArrayList<>();
        try {
            for (Path p : paths) {
                FileKey.Stat st;
                try {
                    st = FileKey.stat(p);
                } catch (IOException e) {
                    continue;
                }
                if (!seen.add(st.key())) {
                    continue; // the same file under two names (a link)
                }
                seenPaths.add(p);
                TailedFile f = files.get(st.key());
                if (f != null) {
                    if (!f.path.equals(p)) {
                        if (f.attached) {
                            metrics.rotation("rename");
                        }
                        LOG.debug("{} is now {}", f.path, p);
                        f.path = p;
                    }
                    f.attached = true;
                    f.stream.lastSeen = wall;
                    continue;
                }
                if (st.size() == 0) {
                    continue; // nothing to identify it by yet
                }
                try {
                    FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
                    int n = (int) Math.min(st.size(), o.fingerprintBytes());
                    byte[] head = new byte[n];
                    if (readAt(ch, 0, head, 0, n) != n) {
                        ch.close();
                        continue;
                    }
                    candidates.add(new Candidate(p, st.key(), st.size(), head, ch));
                } catch (IOException e) {
                    LOG.debug("Cannot open {} yet: {}", p, e.toString());
                }
            }
            for (TailedFile f : new ArrayList<>(files.values())) {
                if (!seen.contains(f.key) && f.attached) {
                    detach(f);
                }
            }
            deferred.keySet().retainAll(seenPaths);
            candidateSizes.keySet().retainAll(seen);
            if (firstScan) {
                truncatedWhileDown(seen);
            }
            match(candidates, wall);
            if (firstScan) {
                for (Stream s : streams.values()) {
                    if (s.boundTo == null && s.truncatedAt == now) {
                        LOG.info("{} was truncated or rewritten while stopped (checkpoint at {}); looking for its copy",
                                s, s.resumePos);
                    }
                }
            }
            if (firstScan) {
                candidates.addAll(renamedWhileDown(seen, wall));
            }
        } finally {
            for (Candidate c : candidates) {
                try {
                    c.ch.close();
                } catch (IOException e) {
                    // read-only channel
                }
            }
        }
        forget(wall);
        firstScan = false;
    }

    /**
     * After a restart: a stream whose inode is still matched by the glob but which is not found
     * again there (match binds it, and clears the mark, if its head and anchor are still there)
     * was truncated or rewritten while Caravan was down. Marked as truncated now, so that its
     * copytruncate copy is judged as one ({@link #copyCheck}): continued when it holds the anchor,
     * waited for while it may still grow, and otherwise, when it holds only what was already
     * shipped (logrotate copied, lines were appended and shipped, the kill came before the
     * truncate), followed from its end instead of being shipped again as a new file.
     */
    private void truncatedWhileDown(Set<FileKey> seen) {
        for (Stream s : streams.values()) {
            if (s.boundTo == null && s.truncatedAt == 0 && seen.contains(new FileKey(s.dev, s.ino))) {
                s.truncatedAt = now;
            }
        }
    }

    /**
     * After a restart: streams not found through the glob may have been renamed out of it while
     * Caravan was down (logrotate's app.log to app.log.1 with a glob of *.log). Their inode, in
     * their directory, with the same head and anchor, is drained like any rotated-away file.
     * Returns the candidates opened, for the caller to close.
     */
    private List<Candidate> renamedWhileDown(Set<FileKey> seen, long wall) throws IOException {
        Map<Path, Map<FileKey, Path>> dirs = new HashMap<>();
        List<Candidate> opened = new ArrayList<>();
        for (Stream s : new ArrayList<>(streams.values())) {
            if (s.boundTo != null || seen.contains(new FileKey(s.dev, s.ino))) {
                continue;
            }
            Path dir = Path.of(s.path).toAbsolutePath().getParent();
            if (dir == null) {
                continue;
            }
            Path p = dirs.computeIfAbsent(dir, Tailer::inodesIn).get(new FileKey(s.dev, s.ino));
            if (p == null) {
                continue;
            }
            try {
                FileKey.Stat st = FileKey.stat(p);
                if (st.size() <= s.resumePos) {
                    continue; // nothing unread
                }
                FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
                byte[] head = new byte[(int) Math.min(st.size(), o.fingerprintBytes())];
                readAt(ch, 0, head, 0, head.length);
                Candidate c = new Candidate(p, st.key(), st.size(), head, ch);
                opened.add(c);
                if (st.key().equals(new FileKey(s.dev, s.ino)) && headMatches(c, s) && anchorMatches(c, s)) {
                    LOG.info("{} was renamed to {} while stopped; reading its last {} bytes", s.path, p, st.size() - s.resumePos);
                    metrics.rotation("rename");
                    bind(c, s, wall);
                    s.boundTo.attached = false;
                    s.boundTo.detachedAt = now;
                }
            } catch (IOException e) {
                LOG.debug("Cannot look at {}: {}", p, e.toString());
            }
        }
        return opened;
    }

    private static Map<FileKey, Path> inodesIn(Path dir) {
        Map<FileKey, Path> out = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                try {
                    if (Files.isRegularFile(p)) {
                        out.put(FileKey.stat(p).key(), p);
                    }
                } catch (IOException e) {
                    // vanished meanwhile
                }
            }
        } catch (IOException e) {
            // directory gone
        }
        return out;
    }

    /** Binds new files to known streams, or to new ones; see the class comment. */
    private void match(List<Candidate> candidates, long wall) throws IOException {
        List<Candidate> rest = new ArrayList<>();
        // 1. The same inode with the same head and anchor: a rename, or a restart.
        for (Candidate c : candidates) {
            Stream hit = null;
            for (Stream s : streams.values()) {
                if (s.boundTo == null && s.dev == c.key.dev() && s.ino == c.key.ino() && headMatches(c, s) && anchorMatches(c, s)) {
                    hit = s;
                    break;
                }
            }
            if (hit != null) {
                bind(c, hit, wall);
            } else {
                rest.add(c);
            }
        }
        // 2. Another inode with the same head and anchor: a copy (copytruncate), a move across devices.
        List<Candidate> rest2 = new ArrayList<>();
        for (Candidate c : rest) {
            Stream hit = null;
            for (Stream s : streams.values()) {
                if (s.boundTo == null && headMatches(c, s) && anchorMatches(c, s)) {
                    hit = s;
                    break;
                }
            }
            if (hit != null) {
                metrics.rotation("copy");
                LOG.info("{} continues {} from offset {}", c.path, hit, hit.resumePos);
                bind(c, hit, wall);
            } else {
                rest2.add(c);
            }
        }
        // 3. Copies of files still being read, and copies of what was already read: not new content.
        for (Candidate c : rest2) {
            CopyCheck check = copyCheck(c);
            if (check.verdict() == Verdict.WAIT) {
                scanNow |= check.rescan();
                continue; // a copy (or one being written): look again at the next scan
            }
            if (check.verdict() == Verdict.CONTINUES) {
                metrics.rotation("copy");
                LOG.info("{} continues {} from offset {}", c.path, check.stream(), check.stream().resumePos);
                bind(c, check.stream(), wall);
                continue;
            }
            if (check.verdict() == Verdict.CONSUMED) {
                LOG.info("{} holds only what was already read from {} before its truncation; following it from its end",
                        c.path, check.stream());
                newStream(c, c.size, wall);
                continue;
            }
            // 4. New content.
            if (!firstLineComplete(c)) {
                Long since = deferred.putIfAbsent(c.path, now);
                if (since == null || o.partialLineTimeout() <= 0 || now - since < o.partialLineTimeout()) {
                    continue;
                }
            }
            deferred.remove(c.path);
            newStream(c, o.startAtEnd() && freshStart && firstScan ? lineStartNearEnd(c) : 0, wall);
        }
    }

    private boolean headMatches(Candidate c, Stream s) {
        return s.headLen > 0 && s.headLen <= c.head.length && Hashes.hash(c.head, 0, s.headLen) == s.headHash;
    }

    private boolean anchorMatches(Candidate c, Stream s) throws IOException {
        if (c.size < s.resumePos) {
            return false;
        }
        return s.resumeAnchorLen <= 0
                || hashAt(c.ch, s.resumePos - s.resumeAnchorLen, s.resumeAnchorLen) == s.resumeAnchorHash;
    }

    private enum Verdict { NEW, WAIT, CONTINUES, CONSUMED }

    private record CopyCheck(Verdict verdict, Stream stream, boolean rescan) {
        static final CopyCheck NEW = new CopyCheck(Verdict.NEW, null, false);
        static final CopyCheck WAIT = new CopyCheck(Verdict.WAIT, null, false);
    }

    /**
     * Is {@code c}, a file that matched no stream, a copy of one: of a file being read (cp, or
     * copytruncate before the truncation is seen), or of a file just truncated (the copytruncate
     * copy, maybe still being written)? Such a file must not become a new stream read from 0.
     *
     * <p>A copy is seen while logrotate writes it, so it may be shorter than a stream's head (it
     * is compared with the head's bytes then), and its original may be truncated between the look
     * at the copy and the look at the original: the original is verified first, and a truncation
     * found then is handled before the copy is judged, at the next scan.
     */
    private CopyCheck copyCheck(Candidate c) throws IOException {
        long[] seen = candidateSizes.get(c.key);
        if (seen == null || seen[0] != c.size) {
            candidateSizes.put(c.key, seen = new long[] {c.size, now});
        }
        boolean settled = now - seen[1] >= COPY_SETTLE_MS;
        for (Stream s : new ArrayList<>(streams.values())) {
            boolean byHash = headMatches(c, s);
            boolean byPrefix = !byHash && s.head != null && c.head.length < s.headLen
                    && java.util.Arrays.equals(c.head, 0, c.head.length, s.head, 0, c.head.length);
            if (!byHash && !byPrefix) {
                continue;
            }
            TailedFile orig = s.boundTo;
            if (orig != null) {
                if (!ensureOpen(orig)) {
                    return CopyCheck.WAIT;
                }
                long size = orig.ch.size();
                if (!verify(orig, size)) {
                    truncated(orig, size); // the copy is judged against the truncated stream next time
                    return new CopyCheck(Verdict.WAIT, null, true);
                }
                long r = orig.splitter.readPos();
                boolean same;
                if (c.size >= r) {
                    same = orig.anchorLen <= 0 || hashAt(c.ch, r - orig.anchorLen, orig.anchorLen) == orig.anchorHash;
                } else {
                    int n = (int) Math.min(LineSplitter.ANCHOR_MAX, c.size);
                    same = hashAt(c.ch, c.size - n, n) == hashAt(orig.ch, c.size - n, n);
                }
                if (same) {
                    LOG.debug("{} looks like a copy of {}; not reading it while the original is intact", c.path, orig);
                    return CopyCheck.WAIT;
                }
            } else if (s.truncatedAt > 0 && now - s.truncatedAt <= COPY_WINDOW_MS) {
                if (s.dev == c.key.dev() && s.ino == c.key.ino()) {
                    continue; // the truncated file itself, rewritten with the same head: new content, not the copy
                }
                if (anchorMatches(c, s) && (byHash || c.size >= s.headLen)) {
                    return new CopyCheck(Verdict.CONTINUES, s, false); // the anchor proves it, written or not
                }
                if (!settled) {
                    return CopyCheck.WAIT; // probably the copy, still being written
                }
                if (c.size < s.resumePos) {
                    return new CopyCheck(Verdict.CONSUMED, s, false);
                }
            }
        }
        return CopyCheck.NEW;
    }

    private boolean firstLineComplete(Candidate c) {
        return c.head.length >= o.fingerprintBytes() || LineSplitter.indexOfNewline(c.head, 0, c.head.length) >= 0;
    }

    /** For startPosition=end: after the last complete line, so that a line being written is read whole. */
    private long lineStartNearEnd(Candidate c) throws IOException {
        int n = (int) Math.min(c.size, 64 * 1024);
        byte[] tail = new byte[n];
        int got = readAt(c.ch, c.size - n, tail, 0, n);
        for (int i = got - 1; i >= 0; i--) {
            if (tail[i] == '\n') {
                return c.size - n + i + 1;
            }
        }
        return n == c.size ? 0 : c.size;
    }

    /**
     * A stream for content no known stream holds. Its identity is written to the checkpoint file
     * before any of its lines is read (see {@link #run}): a line shipped under an identity that a
     * crash could lose would be shipped again under another one (found by TailCrashIT: a new
     * generation of app.log read and shipped, SIGKILL before the periodic checkpoint, copytruncate
     * while down; after the restart nothing on disk tied the copy, a new inode, to the stream its
     * lines had been shipped under, so it was read from 0 as a new file).
     */
    private void newStream(Candidate c, long offset, long wall) throws IOException {
        int nl = LineSplitter.indexOfNewline(c.head, 0, c.head.length);
        int idLen = nl >= 0 ? nl + 1 : c.head.length;
        String base = Long.toHexString(c.key.dev()) + "-" + Long.toHexString(c.key.ino()) + "-"
                + Hashes.hex(Hashes.hash(c.head, 0, idLen));
        String id = base;
        for (int k = 2; streams.containsKey(id); k++) {
            id = base + "~" + k; // same inode and first line as an earlier stream: a rewrite in place
        }
        int al = (int) Math.min(offset, LineSplitter.ANCHOR_MAX);
        long ah = al == 0 ? 0 : hashAt(c.ch, offset - al, al);
        Stream s = new Stream(id, c.path.toString(), c.key.dev(), c.key.ino(), c.head.length,
                Hashes.hash(c.head, 0, c.head.length), offset, al, ah, wall);
        s.head = c.head;
        streams.put(id, s);
        storeDirty = true;
        unsavedStreams = true;
        LOG.debug("New file {} as {} from offset {}", c.path, id, offset);
        bind(c, s, wall);
    }

    private void bind(Candidate c, Stream s, long wall) {
        LineSplitter splitter = new LineSplitter(o.maxLineBytes(), s.resumePos);
        MultilineJoiner joiner = o.multiline()
                ? new MultilineJoiner(o.multilinePattern(), o.multilineMode(), o.multilineNegate(),
                        o.multilineMaxLines(), o.multilineMaxBytes())
                : null;
        TailedFile f = new TailedFile(this, c.key, c.path, s, splitter, joiner, s.resumeAnchorLen, s.resumeAnchorHash);
        f.lastChange = now;
        s.boundTo = f;
        if (s.head == null || s.head.length < c.head.length) {
            s.head = c.head;
        }
        s.dev = c.key.dev();
        s.ino = c.key.ino();
        s.truncatedAt = 0;
        s.lastSeen = wall;
        files.put(c.key, f);
        order.add(f);
        metrics.track(f);
    }

    /** Lets go of a file; its stream stays, waiting to be bound again (or forgotten). */
    private void release(TailedFile f) {
        Stream s = f.stream;
        s.resumePos = f.splitter.readPos();
        s.resumeAnchorLen = f.anchorLen;
        s.resumeAnchorHash = f.anchorHash;
        s.boundTo = null;
        s.lastSeen = System.currentTimeMillis();
        closeChannel(f);
        files.remove(f.key);
        order.remove(f);
        metrics.untrack(f);
    }

    /** Streams whose files are gone for longer than forgetAfter leave the checkpoint file. */
    private void forget(long wall) {
        for (Iterator<Stream> it = streams.values().iterator(); it.hasNext(); ) {
            Stream s = it.next();
            if (s.boundTo == null && wall - s.lastSeen > o.forgetAfter() && s.tracker.inflight() == 0) {
                it.remove();
                storeDirty = true;
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Checkpoints

    private void flush() throws IOException {
        List<CheckpointStore.Entry> entries = new ArrayList<>(streams.size());
        boolean changed = storeDirty;
        for (Stream s : streams.values()) {
            CheckpointStore.Entry e = s.checkpoint();
            entries.add(e);
            if (e.offset() != s.savedOffset) {
                changed = true;
                if (s.boundTo != null && e.offset() > s.savedOffset) {
                    s.boundTo.failures = 0;
                }
            }
        }
        if (!changed) {
            return;
        }
        store.save(entries);
        for (int i = 0; i < entries.size(); i++) {
            // entries and streams iterate in the same order
            streams.get(entries.get(i).id()).savedOffset = entries.get(i).offset();
        }
        storeDirty = false;
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

    private void unlock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }

    // ------------------------------------------------------------------------------------------
    // File handles

    private boolean ensureOpen(TailedFile f) throws IOException {
        if (f.ch != null) {
            return true;
        }
        if (openChannels >= o.maxOpenFiles() && !evictOne(f)) {
            return false;
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(f.path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            if (f.attached) {
                detach(f);
            }
            return false;
        }
        FileKey.Stat st = FileKey.stat(f.path);
        if (!st.key().equals(f.key)) {
            ch.close(); // renamed between the look and the open
            if (f.attached) {
                detach(f);
            }
            return false;
        }
        f.ch = ch;
        openChannels++;
        return true;
    }

    /** At maxOpenFiles: close the least recently read file that can be reopened by its name. */
    private boolean evictOne(TailedFile except) {
        TailedFile victim = null;
        for (TailedFile f : order) {
            if (f != except && f.ch != null && f.attached && (victim == null || f.lastRead < victim.lastRead)) {
                victim = f;
            }
        }
        if (victim == null) {
            return false;
        }
        closeChannel(victim);
        return true;
    }

    private void closeChannel(TailedFile f) {
        if (f.ch != null) {
            try {
                f.ch.close();
            } catch (IOException e) {
                // read-only channel
            }
            f.ch = null;
            openChannels--;
        }
    }

    private long hashAt(FileChannel ch, long pos, int len) throws IOException {
        int n = readAt(ch, pos, scratch, 0, len);
        return n == len ? Hashes.hash(scratch, 0, len) : ~0L;
    }

    /** Reads up to {@code len} bytes at {@code pos}; fewer only at the end of the file. */
    private static int readAt(FileChannel ch, long pos, byte[] into, int off, int len) throws IOException {
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
