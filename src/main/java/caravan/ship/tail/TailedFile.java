package caravan.ship.tail;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * A file being read: one inode, the stream it carries, the open channel (if any) and the read
 * state. Reader thread only, except {@link #lastSize} which the lag gauge reads.
 */
final class TailedFile implements LineSplitter.LineSink, MultilineJoiner.EventSink {
    private final Tailer tailer;
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
    /** Size at which the last read reached the end with everything consumed but a partial line. */
    long eofSize = -1;
    long lastChange;
    long lastRead;
    long lastLineAt;
    long detachedAt;
    boolean needBigRead;

    boolean rewindPending;
    long retryAt;
    int failures;
    /** After a rewind: events Kafka acknowledged beyond the gap (start offset to end offset), not to be sent again. */
    Map<Long, Long> skip;
    long lastIoErrorLog;

    TailedFile(Tailer tailer, FileKey key, Path path, Stream stream, LineSplitter splitter, MultilineJoiner joiner,
               int anchorLen, long anchorHash) {
        this.tailer = tailer;
        this.key = key;
        this.path = path;
        this.stream = stream;
        this.splitter = splitter;
        this.joiner = joiner;
        this.anchorLen = anchorLen;
        this.anchorHash = anchorHash;
    }

    @Override
    public boolean line(byte[] a, int off, int len, long start, long end, boolean truncated, int al, long ah) {
        return tailer.onLine(this, a, off, len, start, end, truncated, al, ah);
    }

    @Override
    public void event(byte[] a, int off, int len, long start, long end, boolean truncated, int al, long ah) {
        tailer.emit(this, a, off, len, start, end, truncated, al, ah);
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
