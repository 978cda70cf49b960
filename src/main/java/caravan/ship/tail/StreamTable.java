package caravan.ship.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The known streams and the files they are bound to: which stream a file carries, in which order
 * files take their turns, and the binding and unbinding of the two. Reader thread only.
 */
final class StreamTable {
    private final TailOptions o;
    private final TailMetrics metrics;
    private final HandlePool pool;
    private final Checkpointer checkpoints;
    final Map<String, Stream> streams = new LinkedHashMap<>();
    final Map<FileKey, TailedFile> files = new HashMap<>();
    /** Files in turn order. */
    final List<TailedFile> order = new ArrayList<>();

    StreamTable(TailOptions o, TailMetrics metrics, HandlePool pool, Checkpointer checkpoints) {
        this.o = o;
        this.metrics = metrics;
        this.pool = pool;
        this.checkpoints = checkpoints;
    }

    Collection<Stream> streams() {
        return streams.values();
    }

    void add(Stream s) {
        streams.put(s.id, s);
    }

    /** Reads {@code s} from {@code path} (inode {@code key}) from its resume position on. */
    TailedFile bind(Tailer tailer, Path path, FileKey key, byte[] head, Stream s, long now, long wall) {
        LineSplitter splitter = new LineSplitter(o.maxLineBytes(), s.resumePos);
        MultilineJoiner joiner = o.multiline()
                ? new MultilineJoiner(o.multilinePattern(), o.multilineMode(), o.multilineNegate(),
                        o.multilineMaxLines(), o.multilineMaxBytes())
                : null;
        TailedFile f = new TailedFile(tailer, key, path, s, splitter, joiner, s.resumeAnchorLen, s.resumeAnchorHash);
        f.lastChange = now;
        s.boundTo = f;
        if (s.head == null || s.head.length < head.length) {
            s.head = head;
        }
        if (s.dev != key.dev() || s.ino != key.ino()) {
            // the checkpoint must say where the stream lives now, even if its offset did not move (model
            // seed 7408473514691232764 on ext4: a copy continued a deleted file's stream at its end; the
            // checkpoint kept the deleted inode, a new file took that number, and after a restart the
            // stream was taken for truncated there instead of being drained from where it was renamed to)
            checkpoints.changed();
        }
        s.dev = key.dev();
        s.ino = key.ino();
        s.truncatedAt = 0;
        s.lastSeen = wall;
        files.put(key, f);
        order.add(f);
        f.stopLag = metrics.lag(s.path, f::lag);
        return f;
    }

    /** The paths of the files bound now. */
    Set<Path> paths() {
        Set<Path> out = new HashSet<>();
        files.values().forEach(f -> out.add(f.path));
        return out;
    }

    /** Lets go of a file; its stream stays, waiting to be bound again (or forgotten). */
    void release(TailedFile f, long wall) {
        Stream s = f.stream;
        s.resumePos = f.splitter.readPos();
        s.resumeAnchorLen = f.anchorLen;
        s.resumeAnchorHash = f.anchorHash;
        s.boundTo = null;
        s.lastSeen = wall;
        pool.close(f);
        files.remove(f.key);
        order.remove(f);
        f.stopLag.run();
    }

    /**
     * The stream's file was deleted and no handle holds it: its inode number is free for the next
     * file created. Forgotten, also in the checkpoint, so that such a file is not taken for the
     * stream's own by inode, head and anchor (a copytruncate copy of a file that began alike
     * continued the deleted copy's stream, and shipped again what the truncated file had shipped).
     * Head and anchor still find the stream in a file that holds it (a move across file systems).
     */
    void inodeFreed(Stream s) {
        s.ino = Stream.NO_INODE;
        checkpoints.changed();
    }

    /** Streams whose files are gone for longer than forgetAfter leave the checkpoint file. */
    void forget(long wall) {
        for (Iterator<Stream> it = streams.values().iterator(); it.hasNext(); ) {
            Stream s = it.next();
            if (s.boundTo == null && wall - s.lastSeen > o.forgetAfter() && s.tracker.inflight() == 0) {
                it.remove();
                checkpoints.changed();
            }
        }
    }

    /** Is the file at {@code path} being read, and does it still hold what was read from it? */
    boolean reading(Path path) throws IOException {
        TailedFile f = files.get(FileKey.stat(path).key());
        if (f == null) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(path)) {
            return f.verify(ch, ch.size());
        }
    }

    void closeAll() {
        for (TailedFile f : order) {
            pool.close(f);
        }
    }
}
