package caravan.ship.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A file being read: one inode, the stream it carries, the open channel (if any) and the read
 * state. It reads itself, a chunk per turn, cuts the chunk into lines and hands them to the
 * {@link Tailer}'s window; it notices when it was truncated or rewritten and when it has been quiet
 * for long enough to flush a partial line, a pending multiline event, or be let go. Reader thread
 * only, except {@link #lastSize} which the lag gauge reads.
 */
final class TailedFile implements LineSplitter.LineSink, MultilineJoiner.EventSink {
    /** Coarser than any local filesystem's timestamp tick (ext4, xfs, tmpfs: a kernel tick, at most 10 ms). */
    private static final long CTIME_TICK_MS = 1_000;
    private final Tailer tailer;
    private final TailOptions o;
    final FileKey key;
    /** Where the file is now (after a rename: its new name). */
    Path path;
    /** True while {@link #path} names this file and matches the glob; false once rotated away or deleted. */
    boolean attached = true;
    final Stream stream;
    FileChannel ch;
    final LineSplitter splitter;
    final MultilineJoiner joiner;
    /** Anchor of the bytes before {@code splitter.readPos()}. */
    int anchorLen;
    long anchorHash;

    volatile long lastSize = -1;
    /** The largest size seen, verified or not (a file waiting for a handle): what is lost if it goes unread. */
    long sizeSeen = -1;
    /** Size at which the last read reached the end with everything consumed but a partial line. */
    long eofSize = -1;
    long lastChange;
    long lastRead;
    long lastLineAt;
    long detachedAt;
    boolean needBigRead;

    /** When an unchanged size was last checked for a rewrite in place ({@link #rewrittenToSameSize}). */
    long sameSizeCheckedAt;
    /** The change time found by the last look without a handle, and the one the last content check saw. */
    long ctime = -1;
    long ctimeChecked = -1;
    /** That check's change time was within a clock tick of the check: a rewrite may not have moved it. */
    boolean ctimeRecent = true;

    boolean rewindPending;
    long retryAt;
    int failures;
    long lastIoErrorLog;
    /** Stops the lag gauge's reading of this file. */
    Runnable stopLag = () -> { };

    TailedFile(Tailer tailer, FileKey key, Path path, Stream stream, LineSplitter splitter, MultilineJoiner joiner,
               int anchorLen, long anchorHash) {
        this.tailer = tailer;
        this.o = tailer.options();
        this.key = key;
        this.path = path;
        this.stream = stream;
        this.splitter = splitter;
        this.joiner = joiner;
        this.anchorLen = anchorLen;
        this.anchorHash = anchorHash;
    }

    /** One turn: notice changes, read one chunk, or handle the timeouts. True if lines were read. */
    boolean read() throws IOException {
        long now = tailer.now();
        long size = size();
        if (size < 0) {
            return false;
        }
        sizeSeen = Math.max(sizeSeen, size);
        HandlePool pool = tailer.pool();
        if (size != lastSize) {
            if (!pool.ensureOpen(this)) {
                return false;
            }
            if (!verify(size)) {
                tailer.discovery().truncated(this, size);
                return true;
            }
            lastSize = size;
            lastChange = now;
            widenHead(size);
        } else if (rewrittenToSameSize(size, now)) {
            tailer.discovery().truncated(this, size);
            return true;
        }
        long from = splitter.scanPos();
        if (size > from && size != eofSize && !tailer.delivery().throttled()) {
            if (!pool.ensureOpen(this)) {
                return false;
            }
            byte[] buf = tailer.buffer();
            int want = (int) Math.min(size - from, needBigRead ? buf.length : o.readChunkBytes());
            int n = HandlePool.readAt(ch, from, buf, 0, want);
            if (n <= 0) {
                return false;
            }
            long before = splitter.readPos();
            boolean wasSkipping = splitter.skippingLongLine();
            boolean all = splitter.feed(buf, n, this);
            long consumed = splitter.scanPos() - from;
            tailer.delivery().reportLines();
            tailer.metrics().bytesRead(consumed);
            lastRead = now;
            eofSize = all && from + n == size ? size : -1;
            // A line longer than a chunk but within maxLineBytes: read it whole next time.
            needBigRead = all && consumed == 0 && !wasSkipping && splitter.readPos() == before && want < buf.length;
            return consumed > 0;
        }
        idle(size);
        return false;
    }

    /** Nothing new to read: timeouts, draining, closing. */
    private void idle(long size) throws IOException {
        long now = tailer.now();
        long quiet = now - Math.max(lastChange, detachedAt);
        boolean partialOnly = size == eofSize && size > splitter.readPos();
        boolean drainNow = !attached && quiet >= o.drainTimeout();
        if (partialOnly && !tailer.delivery().throttled() && tailer.delivery().hasRoom()
                && (drainNow || o.partialLineTimeout() > 0 && now - lastChange >= o.partialLineTimeout())) {
            if (tailer.pool().ensureOpen(this)) {
                byte[] buf = tailer.buffer();
                long from = splitter.partialFrom();
                int n = HandlePool.readAt(ch, from, buf, 0, (int) Math.min(buf.length, size - from));
                if (n == size - from) {
                    splitter.flushPartial(buf, n, this);
                    eofSize = -1;
                }
            }
            return;
        }
        if (joiner != null && joiner.hasPending() && (drainNow || now - lastLineAt >= o.multilineTimeout())) {
            joiner.flush(this);
            return;
        }
        if (drainNow && splitter.readPos() >= size && !splitter.skippingLongLine()
                && (joiner == null || !joiner.hasPending()) && stream.tracker.inflight() == 0) {
            tailer.discovery().drained(this);
            return;
        }
        if (ch != null && attached && now - Math.max(lastChange, lastRead) >= o.closeInactive()) {
            tailer.pool().close(this);
        }
    }

    /** The current size, or -1 if the file is no longer there (then it is detached). */
    private long size() throws IOException {
        if (ch != null) {
            return ch.size();
        }
        if (!attached) {
            // renamed out of the glob while closed, found by its inode: open it to drain it. Without a
            // handle its size is unknown: it waits (a stale size would let it go with lines unread)
            return tailer.pool().ensureOpen(this) ? ch.size() : -1;
        }
        try {
            FileKey.Stat st = FileKey.stat(path);
            if (!st.key().equals(key)) {
                tailer.discovery().detach(this);
                return -1;
            }
            ctime = st.ctimeNanos();
            return st.size();
        } catch (NoSuchFileException e) {
            tailer.discovery().detach(this);
            return -1;
        }
    }

    /**
     * Was the file truncated and written again to the size it had (between two looks, so that it
     * never looked smaller)? Its size did not change, so {@link #read} did not verify it: once per
     * scanInterval it is verified anyway, through its handle (two small reads from the page cache,
     * less than a growing file pays on every turn). A file without a handle is given one (within
     * maxOpenFiles) only if its change time moved since the last look, or was then within a tick of
     * the clock (a filesystem's timestamps are coarse: a rewrite in the same tick leaves the change
     * time as it was). What this cannot see: a rewrite between two looks that keeps the size, the
     * first fingerprintBytes and the 64 bytes before the read position; see README "Guarantees".
     */
    private boolean rewrittenToSameSize(long size, long now) throws IOException {
        if (lastSize < 0 || now - sameSizeCheckedAt < o.scanInterval()) {
            return false;
        }
        sameSizeCheckedAt = now;
        boolean closed = ch == null;
        if (closed && ctime == ctimeChecked && !ctimeRecent) {
            return false;
        }
        long ctimeNow = ctime;
        if (!tailer.pool().ensureOpen(this)) {
            return false; // no handle free (looked at next time), or gone from its path (detached)
        }
        if (closed) {
            ctimeChecked = ctimeNow;
            // the tailer's wall clock (a test's manual clock lies behind the files' times: it always looks,
            // and a seeded run replays the same way)
            ctimeRecent = ctimeNow >= TimeUnit.MILLISECONDS.toNanos(tailer.wall() - CTIME_TICK_MS);
        }
        return !verify(size);
    }

    /** Does the file still hold what this stream read from it? Needs the channel open. */
    boolean verify(long size) throws IOException {
        return verify(ch, size);
    }

    /** Does the file, read through {@code ch}, still hold what this stream read from it? */
    boolean verify(FileChannel ch, long size) throws IOException {
        if (size < splitter.scanPos()) {
            return false;
        }
        HandlePool pool = tailer.pool();
        Stream s = stream;
        if (s.headLen > 0 && (size < s.headLen || pool.hashAt(ch, 0, s.headLen) != s.headHash)) {
            return false;
        }
        long r = splitter.readPos();
        return pool.holdsAnchor(ch, r, anchorLen, anchorHash);
    }

    /** A stream first seen while its file was small gets the full head once the file has grown. */
    private void widenHead(long size) throws IOException {
        Stream s = stream;
        if (s.headLen < o.fingerprintBytes() && size >= o.fingerprintBytes()) {
            byte[] head = new byte[o.fingerprintBytes()];
            if (HandlePool.readAt(ch, 0, head, 0, head.length) == head.length) {
                s.head = head;
                s.headHash = Hashes.hash(head, 0, head.length);
                s.headLen = head.length;
                tailer.checkpoints().changed();
            }
        }
    }

    /** Back to the stream's checkpoint after a failed delivery; {@code acked} are not sent again. */
    void rewindTo(Map<Long, Long> acked) {
        AckTracker t = stream.tracker;
        splitter.reset(t.committed());
        if (joiner != null) {
            joiner.clear();
        }
        anchorLen = t.committedAnchorLen();
        anchorHash = t.committedAnchorHash();
        stream.ackedAhead = acked.isEmpty() ? null : acked;
        eofSize = -1;
        lastSize = -1; // verify again: the file may have changed while we waited
        rewindPending = false;
    }

    @Override
    public boolean line(Line line) {
        if (!tailer.delivery().admit(line)) {
            return false;
        }
        if (joiner != null) {
            joiner.line(line, this);
            lastLineAt = tailer.now();
        } else {
            event(line);
        }
        anchorLen = line.anchorLen();
        anchorHash = line.anchorHash();
        return true;
    }

    @Override
    public void event(Line event) {
        Map<Long, Long> skip = stream.ackedAhead;
        if (skip != null) {
            Long ackedEnd = skip.remove(event.start());
            if (skip.isEmpty()) {
                stream.ackedAhead = null;
            }
            if (ackedEnd != null && ackedEnd == event.end()) {
                // Kafka has it already: don't send it twice
                stream.tracker.complete(stream.tracker.register(event.start(), event.end(), event.anchorLen(),
                        event.anchorHash()), true);
                return;
            }
        }
        tailer.delivery().emit(stream, event);
    }

    long lag() {
        long size = lastSize;
        return size < 0 ? 0 : Math.max(0, size - stream.tracker.committed());
    }

    @Override
    public String toString() {
        return path + " [" + key + "]";
    }
}
