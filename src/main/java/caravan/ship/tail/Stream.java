package caravan.ship.tail;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One logical log file: a sequence of bytes that is only ever appended to, whatever path or inode
 * it lives under at the moment. It owns the identity shipped as {@code caravan.file_id}, the
 * in-flight events and the checkpoint.
 *
 * <p>A stream is bound to at most one {@link TailedFile} (the open file it is read from). It
 * outlives that binding: after a truncation its unread rest may turn up in a copy
 * (copytruncate), and after a restart it waits in the checkpoint for its file to be found again.
 *
 * <p>Fields other than the tracker are touched by the reader thread only.
 */
final class Stream {
    /** The inode of a stream whose file was deleted: no file on disk carries it. */
    static final long NO_INODE = -1;

    final String id;
    final String path;
    long dev;
    long ino;
    int headLen;
    long headHash;
    /** The head's bytes while known (not kept in the checkpoint): recognises a copy still shorter than the head. */
    byte[] head;
    final AckTracker tracker;

    /** Where reading continues when the stream is (re)bound, and the anchor that proves it. */
    long resumePos;
    int resumeAnchorLen;
    long resumeAnchorHash;

    TailedFile boundTo;
    /**
     * After a rewind: events acknowledged beyond the gap (start offset to end offset), not to be
     * sent again. The stream's, not the file's: the re-read may happen in the copytruncate copy.
     */
    Map<Long, Long> ackedAhead;
    /** When the stream lost its file to a truncation (for copytruncate matching), or 0. */
    long truncatedAt;
    long lastSeen;
    /** The checkpoint last written to disk, to skip writes that change nothing; -1 before the first write. */
    long savedOffset = -1;
    /** The acknowledged-ahead events last written to disk. */
    Map<Long, Long> savedAhead = Map.of();

    /**
     * How far this stream has shipped, reading at {@code pos}: further when a rewind after a failed
     * delivery went back behind events already acknowledged (model seed -5759221003811753009: a
     * copy was taken for a deleted file's continuation because the file it copied was being re-read
     * from behind the deleted one's end).
     */
    long shippedTo(long pos) {
        long to = pos;
        if (ackedAhead != null) {
            for (long end : ackedAhead.values()) {
                to = Math.max(to, end);
            }
        }
        return to;
    }

    Stream(String id, String path, long dev, long ino, int headLen, long headHash,
           long offset, int anchorLen, long anchorHash, long now) {
        this.id = id;
        this.path = path;
        this.dev = dev;
        this.ino = ino;
        this.headLen = headLen;
        this.headHash = headHash;
        this.tracker = new AckTracker(offset, anchorLen, anchorHash);
        this.resumePos = offset;
        this.resumeAnchorLen = anchorLen;
        this.resumeAnchorHash = anchorHash;
        this.lastSeen = now;
    }

    /** Is the stream in the checkpoint file? Its lines are read only once it is. */
    boolean saved() {
        return savedOffset >= 0;
    }

    static Stream of(CheckpointStore.Entry e) {
        Stream s = new Stream(e.id(), e.path(), e.dev(), e.ino(), e.headLen(), e.headHash(), e.offset(),
                e.anchorLen(), e.anchorHash(), e.seen());
        s.ackedAhead = e.ahead().isEmpty() ? null : new HashMap<>(e.ahead());
        s.savedAhead = e.ahead();
        return s;
    }

    CheckpointStore.Entry checkpoint() {
        long offset;
        int anchorLen;
        long anchorHash;
        SortedMap<Long, Long> ahead = new TreeMap<>();
        synchronized (tracker) {
            offset = tracker.committed();
            anchorLen = tracker.committedAnchorLen();
            anchorHash = tracker.committedAnchorHash();
            tracker.ackedAhead(ahead);
        }
        if (ackedAhead != null) {
            ahead.putAll(ackedAhead);
        }
        return new CheckpointStore.Entry(id, path, offset, dev, ino, headLen, headHash, anchorLen, anchorHash, lastSeen,
                ahead);
    }

    @Override
    public String toString() {
        return id + " (" + path + ")";
    }
}
