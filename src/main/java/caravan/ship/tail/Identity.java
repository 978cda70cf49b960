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
 *       the original may still be truncated, {@value #COPY_WINDOW_MS} ms after the copy stopped
 *       growing; if the original is still intact then, the copy is a file of its own (the same
 *       seed file copied to two paths) and is read in full.</li>
 * </ul>
 */
final class Identity {
    /** How long after a truncation a copy with the same head is taken for the copytruncate copy. */
    static final long COPY_WINDOW_MS = 60_000;
    /**
     * How long a possible copy of a truncated file must keep its size before it is taken as
     * finished, and as holding only what was already read: logrotate may pause while copying.
     */
    static final long COPY_SETTLE_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(Identity.class);

    private final Tailer tailer;
    private final TailOptions o;
    private final StreamTable table;
    /** Since when each file whose first line is incomplete has been waiting for it. */
    private final Map<Path, Long> deferred = new HashMap<>();
    /** Size of each not yet identified file and since when it has had that size: a copy may still be written. */
    private final Map<FileKey, long[]> candidateSizes = new HashMap<>();
    /** What was said about each path, so that it is said once. */
    private final Map<Path, String> said = new HashMap<>();

    Identity(Tailer tailer, StreamTable table) {
        this.tailer = tailer;
        this.o = tailer.options();
        this.table = table;
    }

    /** Forgets what it knew of files that are no longer there. */
    void retain(Set<FileKey> keys, Set<Path> paths) {
        deferred.keySet().retainAll(paths);
        candidateSizes.keySet().retainAll(keys);
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
            for (Stream s : table.streams()) {
                if (s.boundTo == null && headMatches(c, s) && anchorMatches(c, s) && originalGone(s)) {
                    hit = furthest(hit, s);
                }
            }
            if (hit != null && !readFurtherByAnother(c, hit)) {
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
            CopyCheck check = copyCheck(c);
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
                    if (goneMatch.containsKey(c)) {
                        continues(c, goneMatch.get(c));
                        continue;
                    }
                    // 4. New content.
                }
                case OWN -> {
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
     * of the file it was copied from). At the same position, a truncated stream: its copy is the
     * file a copytruncate leaves.
     */
    private static Stream furthest(Stream a, Stream b) {
        if (a == null) {
            return b;
        }
        if (a.resumePos != b.resumePos) {
            return a.resumePos > b.resumePos ? a : b;
        }
        return b.truncatedAt > a.truncatedAt ? b : a;
    }

    /**
     * Has a stream other than {@code gone} with the same head read further than {@code gone} did,
     * in a file being read or truncated within the copy window? Then {@code c} may be that file's
     * copy (copytruncate, or a copy beside it), holding bytes that stream shipped beyond where
     * {@code gone} stopped: it is judged as such a copy first ({@link #copyCheck}).
     */
    private boolean readFurtherByAnother(Candidate c, Stream gone) {
        for (Stream s : table.streams()) {
            if (s == gone || !headMatches(c, s)) {
                continue;
            }
            long read = s.boundTo != null ? s.boundTo.splitter.readPos()
                    : s.truncatedAt > 0 && tailer.now() - s.truncatedAt <= COPY_WINDOW_MS ? s.resumePos : -1;
            if (read > gone.resumePos) {
                return true;
            }
        }
        return false;
    }

    private void continues(Candidate c, Stream s) {
        tailer.metrics().rotation("copy");
        LOG.info("{} continues {} from offset {}", c.path(), s, s.resumePos);
        bind(c, s);
    }

    /**
     * May a stream continue in another inode? Only if its own file no longer holds it: truncated
     * or rewritten (the copytruncate copy), or gone from its directory (moved to another file
     * system). A file renamed out of the glob still holds it, and a copy of it is a file of its own.
     */
    private boolean originalGone(Stream s) {
        if (s.truncatedAt > 0) {
            return true;
        }
        Path dir = Path.of(s.path).toAbsolutePath().getParent();
        Path at = dir == null ? null : Discovery.inodesIn(dir).get(new FileKey(s.dev, s.ino));
        if (at == null) {
            return true;
        }
        try (FileChannel ch = FileChannel.open(at, StandardOpenOption.READ)) {
            HandlePool pool = tailer.pool();
            boolean holds = ch.size() >= Math.max(s.resumePos, s.headLen)
                    && pool.hashAt(ch, 0, s.headLen) == s.headHash
                    && (s.resumeAnchorLen <= 0
                        || pool.hashAt(ch, s.resumePos - s.resumeAnchorLen, s.resumeAnchorLen) == s.resumeAnchorHash);
            return !holds;
        } catch (IOException e) {
            return true; // vanished meanwhile
        }
    }

    boolean headMatches(Candidate c, Stream s) {
        return s.headLen > 0 && s.headLen <= c.head().length && Hashes.hash(c.head(), 0, s.headLen) == s.headHash;
    }

    boolean anchorMatches(Candidate c, Stream s) throws IOException {
        if (c.size() < s.resumePos) {
            return false;
        }
        return s.resumeAnchorLen <= 0
                || tailer.pool().hashAt(c.ch(), s.resumePos - s.resumeAnchorLen, s.resumeAnchorLen) == s.resumeAnchorHash;
    }

    private enum Verdict { NEW, OWN, WAIT, CONTINUES, CONSUMED }

    private record CopyCheck(Verdict verdict, Stream stream, boolean rescan) {
        static final CopyCheck NEW = new CopyCheck(Verdict.NEW, null, false);
        static final CopyCheck WAIT = new CopyCheck(Verdict.WAIT, null, false);
        static final CopyCheck OWN = new CopyCheck(Verdict.OWN, null, false);
    }

    /**
     * Is {@code c}, a file that matched no stream, the copytruncate copy of one: of a file being
     * read (logrotate copies before it truncates), or of a file just truncated (the copy, maybe
     * still being written)? Such a file must not become a new stream read from 0.
     *
     * <p>A copy is seen while logrotate writes it, so it may be shorter than a stream's head (it
     * is compared with the head's bytes then), and its original may be truncated between the look
     * at the copy and the look at the original: the original is verified first, and a truncation
     * found then is handled before the copy is judged, at the next scan.
     *
     * <p>Two live files that begin alike are two streams unless one was truncated and the other is
     * its copy: a copy of a file that is still intact is held for {@link Tailer#COPY_WINDOW_MS}
     * after it stopped growing, for the truncation that makes it a copytruncate copy, and is then
     * read in full as a file of its own (a seed file copied to two paths).
     */
    private CopyCheck copyCheck(Candidate c) throws IOException {
        long now = tailer.now();
        long[] seen = candidateSizes.get(c.key());
        if (seen == null || seen[0] != c.size()) {
            candidateSizes.put(c.key(), seen = new long[] {c.size(), now});
        }
        long stillFor = now - seen[1];
        boolean own = false;
        for (Stream s : new ArrayList<>(table.streams())) {
            boolean byHash = headMatches(c, s);
            boolean byPrefix = !byHash && s.head != null && c.head().length < s.headLen
                    && Arrays.equals(c.head(), 0, c.head().length, s.head, 0, c.head().length);
            if (!byHash && !byPrefix) {
                continue;
            }
            TailedFile orig = s.boundTo;
            if (orig != null) {
                // judged on time even when the pool has no handle free for the original
                FileChannel ch = tailer.pool().peek(orig);
                if (ch == null) {
                    return new CopyCheck(Verdict.WAIT, null, true); // gone from its path: see again at the next scan
                }
                boolean look = ch != orig.ch;
                try {
                    long size = ch.size();
                    if (!orig.verify(ch, size)) {
                        tailer.discovery().truncated(orig, size); // the copy is judged against the truncated stream next time
                        return new CopyCheck(Verdict.WAIT, null, true);
                    }
                    if (sameBytesAsRead(c, orig, ch)) {
                        if (stillFor < COPY_WINDOW_MS) {
                            say(c.path(), "copy", "{} holds the same bytes as {}, which is being read: held for up to {} ms"
                                    + " after it stops growing, in case it is a copytruncate copy", orig.path);
                            return CopyCheck.WAIT;
                        }
                        say(c.path(), "own", "{} holds the same bytes as {}, which was not truncated within {} ms: read as a file"
                                + " of its own", orig.path);
                        own = true;
                    } else if (!orig.verify(ch, size = ch.size())) {
                        // truncated between the two looks (a copy still being written is compared with the
                        // original's bytes): judged against the truncated stream next time, not taken as new
                        tailer.discovery().truncated(orig, size);
                        return new CopyCheck(Verdict.WAIT, null, true);
                    }
                } finally {
                    if (look) {
                        ch.close();
                    }
                }
            } else if (s.truncatedAt > 0 && now - s.truncatedAt <= COPY_WINDOW_MS) {
                if (s.dev == c.key().dev() && s.ino == c.key().ino()) {
                    continue; // the truncated file itself, rewritten with the same head: new content, not the copy
                }
                if (anchorMatches(c, s) && (byHash || c.size() >= s.headLen)) {
                    return new CopyCheck(Verdict.CONTINUES, s, false); // the anchor proves it, written or not
                }
                if (stillFor < COPY_SETTLE_MS) {
                    return CopyCheck.WAIT; // probably the copy, still being written
                }
                if (c.size() < s.resumePos) {
                    return new CopyCheck(Verdict.CONSUMED, s, false);
                }
            }
        }
        return own ? CopyCheck.OWN : CopyCheck.NEW;
    }

    /** Does {@code c} hold what was read from {@code orig} (through {@code ch}) so far, or, if shorter, its last bytes? */
    private boolean sameBytesAsRead(Candidate c, TailedFile orig, FileChannel ch) throws IOException {
        HandlePool pool = tailer.pool();
        long r = orig.splitter.readPos();
        if (c.size() >= r) {
            return orig.anchorLen <= 0 || pool.hashAt(c.ch(), r - orig.anchorLen, orig.anchorLen) == orig.anchorHash;
        }
        int n = (int) Math.min(LineSplitter.ANCHOR_MAX, c.size());
        return pool.hashAt(c.ch(), c.size() - n, n) == pool.hashAt(ch, c.size() - n, n);
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
        long ah = al == 0 ? 0 : tailer.pool().hashAt(c.ch(), offset - al, al);
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
    private void say(Path path, String what, String message, Object arg) {
        if (!what.equals(said.put(path, what))) {
            LOG.info(message, path, arg, COPY_WINDOW_MS);
        }
    }
}
