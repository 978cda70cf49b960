package caravan.ship.tail;

import caravan.ship.tail.Discovery.Candidate;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells which stream a file carries, and starts new streams. Also the one place that decides to
 * skip content, and says so: once per path and reason in the log, and in {@code
 * caravan.tail.skipped}. Reader thread only.
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
 *       (see {@link Discovery#scan}), so that its copy is judged the same way.</li>
 *   <li><b>delete and re-create</b>: like rename; the new file is a new stream even on a reused
 *       inode (its head and anchor differ).</li>
 *   <li><b>a copy of a file being read</b> (logrotate copies before it truncates): held while
 *       the original may still be truncated, copyWindow ms (60 s by default) after the copy stopped
 *       growing; if the original is still intact then, the copy is a file of its own (the same
 *       seed file copied to two paths) and is read in full.</li>
 * </ul>
 */
final class Identity {
    private static final Logger LOG = LoggerFactory.getLogger(Identity.class);

    private final Tailer tailer;
    private final TailOptions o;
    private final StreamTable table;
    private final CopyJudge copies;
    /** Since when each file whose first line is incomplete has been waiting for it. */
    private final Map<Path, Long> deferred = new HashMap<>();
    /** What was said about each path, so that it is said once. */
    private final Map<Path, String> said = new HashMap<>();

    Identity(Tailer tailer, StreamTable table) {
        this.tailer = tailer;
        this.o = tailer.options();
        this.table = table;
        this.copies = new CopyJudge(tailer, table, this);
    }

    /** Forgets what it knew of files that are no longer there. */
    void retain(Set<FileKey> keys, Set<Path> paths) {
        deferred.keySet().retainAll(paths);
        copies.retain(keys);
        said.keySet().retainAll(paths);
    }

    /** Binds new files to known streams, or to new ones; see the class comment of {@link Tailer}. */
    void match(List<Candidate> candidates, boolean firstScan) throws IOException {
        List<Candidate> rest = new ArrayList<>();
        // 1. The same inode with the same head and anchor: a rename, or a restart.
        for (Candidate c : candidates) {
            Stream hit = null;
            for (Stream s : table.streams()) {
                if (s.boundTo == null && s.dev == c.key().dev() && s.ino == c.key().ino() && headMatches(c, s)
                        && anchorMatches(c, s)) {
                    hit = furthest(hit, s);
                }
            }
            if (hit != null) {
                bind(c, hit);
            } else {
                rest.add(c);
            }
        }
        // 2. Another inode with the same head and anchor: a copy (copytruncate), a move across devices.
        List<Candidate> rest2 = new ArrayList<>();
        Map<Candidate, Stream> goneMatch = new HashMap<>();
        for (Candidate c : rest) {
            Stream hit = null;
            long kept = -1;
            for (Stream s : table.streams()) {
                if (s.boundTo == null && headMatches(c, s) && anchorMatches(c, s)) {
                    if (copies.originalGone(s)) {
                        hit = furthest(hit, s);
                    } else {
                        kept = Math.max(kept, s.resumePos);
                    }
                }
            }
            if (hit != null && kept > hit.resumePos) {
                // it also holds, further than the gone stream, all that a file still on disk (renamed out
                // of the glob) was read for: a copy of that file, of its own, not the gone one moved (model
                // seed -3711817583898839417: it continued a deleted copy's stream; its first line was lost)
                hit = null;
            }
            if (hit != null && !copies.readFurtherByAnother(c, hit)) {
                continues(c, hit);
            } else {
                if (hit != null) {
                    goneMatch.put(c, hit); // judged as a copy of the other first; continues hit if it is none
                }
                rest2.add(c);
            }
        }
        // 3. Copies of files still being read, and copies of what was already read: not new content.
        for (Candidate c : rest2) {
            CopyJudge.Check check = copies.judge(c);
            // the stream remembered in step 2, unless another file of this scan has since continued it
            // (model seed -375187760829892830: two files continued a deleted copy's stream, and the one
            // that was not a copy lost every line written after it)
            Stream gone = goneMatch.get(c);
            if (gone != null && gone.boundTo != null) {
                gone = null;
            }
            switch (check.verdict()) {
                case WAIT -> {
                    if (check.rescan()) {
                        tailer.discovery().rescan();
                    }
                    continue; // a copy (or one being written): look again at the next scan
                }
                case CONTINUES -> {
                    continues(c, check.stream());
                    continue;
                }
                case CONSUMED -> {
                    skipped(c.path(), "already-read", "it holds only what was already read from " + check.stream()
                            + " before its truncation (the copytruncate copy); following it from its end");
                    newStream(c, c.size());
                    continue;
                }
                case NEW -> {
                    if (gone != null) {
                        continues(c, gone);
                        continue;
                    }
                    // 4. New content.
                }
                case OWN -> {
                    if (gone != null && gone.truncatedAt > 0) {
                        // a copy of a file being read, but also of a truncated one, which says copytruncate
                        // (model seed 8115704522737131155: a clock jump past the copy window between the
                        // truncation and the next scan; a failed delivery held the truncated stream back)
                        continues(c, gone);
                        continue;
                    }
                    // 4. New content: a copy of a file being read, not truncated within the copy window.
                }
            }
            if (!firstLineComplete(c)) {
                Long since = deferred.putIfAbsent(c.path(), tailer.now());
                if (since == null || o.partialLineTimeout() <= 0 || tailer.now() - since < o.partialLineTimeout()) {
                    continue;
                }
            }
            deferred.remove(c.path());
            long from = 0;
            if (o.startAtEnd() && tailer.checkpoints().freshStart() && firstScan) {
                from = lineStartNearEnd(c);
                if (from > 0) {
                    skipped(c.path(), "start-position-end", "startPosition=end on the first start: its first "
                            + from + " bytes are not shipped");
                }
            }
            newStream(c, from);
        }
    }

    /**
     * Of two streams that both match a file by head and anchor, the one read further into it: the
     * file holds both streams' bytes up to there (a copy of a copy), and the bytes between the two
     * resume positions were shipped by the further one. Continuing the other would ship them again
     * (model seed 2143469776194458563: an earlier copy, deleted, continued in the copytruncate copy
     * of the file it was copied from). But a truncated stream before one whose file was deleted or
     * moved, wherever each stopped: the file is then its copytruncate copy, and the deleted file
     * was a copy of it read as a file of its own, whose stream, continued, would ship again under
     * its own ids what the truncated one had shipped beyond its checkpoint (model seed
     * 9129486570945572438: a delivery failure had held the truncated stream's checkpoint back).
     */
    private static Stream furthest(Stream a, Stream b) {
        if (a == null) {
            return b;
        }
        if ((a.truncatedAt > 0) != (b.truncatedAt > 0)) {
            return a.truncatedAt > 0 ? a : b;
        }
        if (a.resumePos != b.resumePos) {
            return a.resumePos > b.resumePos ? a : b;
        }
        return b.truncatedAt > a.truncatedAt ? b : a;
    }

    private void continues(Candidate c, Stream s) {
        tailer.metrics().rotation("copy");
        LOG.info("{} continues {} from offset {}", c.path(), s, s.resumePos);
        bind(c, s);
    }

    boolean headMatches(Candidate c, Stream s) {
        return s.headLen > 0 && s.headLen <= c.head().length && Hashes.hash(c.head(), 0, s.headLen) == s.headHash;
    }

    boolean anchorMatches(Candidate c, Stream s) throws IOException {
        if (c.size() < s.resumePos) {
            return false;
        }
        return tailer.pool().holdsAnchor(c.ch(), s.resumePos, s.resumeAnchorLen, s.resumeAnchorHash);
    }

    private boolean firstLineComplete(Candidate c) {
        return c.head().length >= o.fingerprintBytes() || LineSplitter.indexOfNewline(c.head(), 0, c.head().length) >= 0;
    }

    /** For startPosition=end: after the last complete line, so that a line being written is read whole. */
    private static long lineStartNearEnd(Candidate c) throws IOException {
        int n = (int) Math.min(c.size(), 64 * 1024);
        byte[] tail = new byte[n];
        int got = HandlePool.readAt(c.ch(), c.size() - n, tail, 0, n);
        for (int i = got - 1; i >= 0; i--) {
            if (tail[i] == '\n') {
                return c.size() - n + i + 1;
            }
        }
        return n == c.size() ? 0 : c.size();
    }

    /**
     * A stream for content no known stream holds. Its identity is written to the checkpoint file
     * before any of its lines is read (see {@link Tailer#step}): a line shipped under an identity
     * that a crash could lose would be shipped again under another one (found by TailCrashIT: a new
     * generation of app.log read and shipped, SIGKILL before the periodic checkpoint, copytruncate
     * while down; after the restart nothing on disk tied the copy, a new inode, to the stream its
     * lines had been shipped under, so it was read from 0 as a new file).
     */
    private void newStream(Candidate c, long offset) throws IOException {
        byte[] head = c.head();
        int nl = LineSplitter.indexOfNewline(head, 0, head.length);
        int idLen = nl >= 0 ? nl + 1 : head.length;
        String base = Long.toHexString(c.key().dev()) + "-" + Long.toHexString(c.key().ino()) + "-"
                + Hashes.hex(Hashes.hash(head, 0, idLen));
        String id = base;
        for (int k = 2; table.streams.containsKey(id); k++) {
            id = base + "~" + k; // same inode and first line as an earlier stream: a rewrite in place
        }
        int al = (int) Math.min(offset, LineSplitter.ANCHOR_MAX);
        long ah = al == 0 ? 0 : tailer.pool().anchorAt(c.ch(), offset, al);
        Stream s = new Stream(id, c.path().toString(), c.key().dev(), c.key().ino(), head.length,
                Hashes.hash(head, 0, head.length), offset, al, ah, tailer.wall());
        s.head = head;
        table.add(s);
        tailer.checkpoints().added();
        LOG.debug("New file {} as {} from offset {}", c.path(), id, offset);
        bind(c, s);
    }

    TailedFile bind(Candidate c, Stream s) {
        return table.bind(tailer, c.path(), c.key(), c.head(), s, tailer.now(), tailer.wall());
    }

    /** Content the tailer will not ship: said once per path and reason, and counted by reason. */
    void skipped(Path path, String reason, String why) {
        tailer.metrics().skipped(reason);
        if (!reason.equals(said.put(path, reason))) {
            LOG.warn("Skipping content of {} ({}): {}", path, reason, why);
        }
    }

    /** An INFO line about {@code path}, once for each thing said about it. */
    void say(Path path, String what, String message, Object arg) {
        if (!what.equals(said.put(path, what))) {
            LOG.info(message, path, arg, o.copyWindow());
        }
    }
}
