package caravan.ship.tail;

import caravan.ship.tail.Discovery.Candidate;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tells a copy from new content, for {@link Identity}: a file that matched no stream may be the
 * copytruncate copy of a file being read (logrotate copies before it truncates), of a file just
 * truncated, or a copy of what was already shipped; and a stream may continue in another inode
 * only when its own file no longer holds it. Reader thread only.
 */
final class CopyJudge {
    /**
     * How long a possible copy of a truncated file must keep its size before it is taken as
     * finished, and as holding only what was already read: logrotate may pause while copying.
     */
    static final long COPY_SETTLE_MS = 2_000;

    private final Tailer tailer;
    private final TailOptions o;
    private final StreamTable table;
    private final Identity identity;
    /** Size of each not yet identified file and since when it has had that size: a copy may still be written. */
    private final Map<FileKey, long[]> candidateSizes = new HashMap<>();

    CopyJudge(Tailer tailer, StreamTable table, Identity identity) {
        this.tailer = tailer;
        this.o = tailer.options();
        this.table = table;
        this.identity = identity;
    }

    void retain(Set<FileKey> keys) {
        candidateSizes.keySet().retainAll(keys);
    }

    /**
     * Has a stream other than {@code gone} with the same head shipped further than {@code gone}
     * did, in a file being read or truncated within the copy window? Then {@code c} may be that
     * file's copy (copytruncate, or a copy beside it), holding bytes that stream shipped beyond
     * where {@code gone} stopped: it is judged as such a copy first ({@link #judge}). Judging it so
     * whenever such a file is being read, whatever it shipped, traded losses for duplicates (model
     * seeds 7747757953600990456, 6382429324255680299): not done.
     */
    boolean readFurtherByAnother(Candidate c, Stream gone) {
        for (Stream s : table.streams()) {
            if (s == gone || !identity.headMatches(c, s)) {
                continue;
            }
            long read = s.boundTo != null ? s.shippedTo(s.boundTo.splitter.readPos())
                    : s.truncatedAt > 0 && tailer.now() - s.truncatedAt <= o.copyWindow() ? s.shippedTo(s.resumePos) : -1;
            if (read > gone.resumePos) {
                return true;
            }
        }
        return false;
    }

    /**
     * May a stream continue in another inode? Only if its own file no longer holds it: truncated
     * or rewritten (the copytruncate copy), or gone from its directory (moved to another file
     * system). A file renamed out of the glob still holds it, and a copy of it is a file of its own.
     * One found truncated here is marked so, as if the truncation had been seen while reading.
     */
    boolean originalGone(Stream s) {
        if (s.truncatedAt > 0) {
            return true;
        }
        Path dir = Path.of(s.path).toAbsolutePath().getParent();
        Path at = dir == null ? null : Discovery.inodesIn(dir).get(new FileKey(s.dev, s.ino));
        if (at == null) {
            return true;
        }
        HandlePool pool = tailer.pool();
        FileChannel ch;
        try {
            ch = pool.openLook(at, true); // counted against maxOpenFiles like a scan's look
        } catch (IOException e) {
            return true; // vanished meanwhile
        }
        try {
            boolean holds = ch.size() >= Math.max(s.resumePos, s.headLen)
                    && pool.hashAt(ch, 0, s.headLen) == s.headHash
                    && pool.holdsAnchor(ch, s.resumePos, s.resumeAnchorLen, s.resumeAnchorHash);
            if (!holds && s.truncatedAt == 0) {
                // its inode is there but no longer holds what was read: truncated or rewritten, found
                // now (renamed out of the glob, then truncated while stopped: seed -3307096026064762400)
                s.truncatedAt = tailer.now();
            }
            return !holds;
        } catch (IOException e) {
            return true; // vanished meanwhile
        } finally {
            pool.release(ch);
        }
    }

    /** Is {@code c} shorter than {@code s}'s head, and its start? A copy made before the file grew. */
    private static boolean headPrefixMatches(Candidate c, Stream s) {
        return s.head != null && c.head().length < s.headLen
                && Arrays.equals(c.head(), 0, c.head().length, s.head, 0, c.head().length);
    }

    enum Verdict { NEW, OWN, WAIT, CONTINUES, CONSUMED }

    record Check(Verdict verdict, Stream stream, boolean rescan) {
        static final Check NEW = new Check(Verdict.NEW, null, false);
        static final Check WAIT = new Check(Verdict.WAIT, null, false);
        static final Check OWN = new Check(Verdict.OWN, null, false);
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
     * its copy: a copy of a file that is still intact is held for copyWindow
     * after it stopped growing, for the truncation that makes it a copytruncate copy, and is then
     * read in full as a file of its own (a seed file copied to two paths).
     */
    Check judge(Candidate c) throws IOException {
        long now = tailer.now();
        long[] seen = candidateSizes.get(c.key());
        if (seen == null || seen[0] != c.size()) {
            candidateSizes.put(c.key(), seen = new long[] {c.size(), now});
        }
        long stillFor = now - seen[1];
        boolean own = false;
        // a truncated stream whose anchor the file holds is proof, and wins over a wait or a skip found
        // first (model seed 8568703185404308208: the copytruncate copy, byte for byte another file being
        // read, was held as that file's copy until its own stream's copy window had passed)
        Check pending = null;
        Path heldAs = null;
        for (Stream s : new ArrayList<>(table.streams())) {
            boolean byHash = identity.headMatches(c, s);
            boolean byPrefix = !byHash && headPrefixMatches(c, s);
            if (!byHash && !byPrefix) {
                continue;
            }
            TailedFile orig = s.boundTo;
            if (orig != null) {
                // judged on time even when the pool has no handle free for the original
                FileChannel ch = tailer.pool().peek(orig);
                if (ch == null) {
                    return new Check(Verdict.WAIT, null, true); // gone from its path: see again at the next scan
                }
                boolean look = ch != orig.ch;
                try {
                    long size = ch.size();
                    if (!orig.verify(ch, size)) {
                        tailer.discovery().truncated(orig, size); // the copy is judged against the truncated stream next time
                        return new Check(Verdict.WAIT, null, true);
                    }
                    if (sameBytesAsRead(c, orig, ch, size)) {
                        if (stillFor < o.copyWindow()) {
                            if (pending == null) {
                                pending = Check.WAIT;
                                heldAs = orig.path;
                            }
                            continue;
                        }
                        identity.say(c.path(), "own", "{} holds the same bytes as {}, which was not truncated within {} ms: read as a file"
                                + " of its own", orig.path);
                        own = true;
                    } else if (!orig.verify(ch, size = ch.size())) {
                        // truncated between the two looks (a copy still being written is compared with the
                        // original's bytes): judged against the truncated stream next time, not taken as new
                        tailer.discovery().truncated(orig, size);
                        return new Check(Verdict.WAIT, null, true);
                    }
                } finally {
                    if (look) {
                        tailer.pool().release(ch);
                    }
                }
            } else if (s.truncatedAt > 0 && now - s.truncatedAt <= o.copyWindow()) {
                if (s.dev == c.key().dev() && s.ino == c.key().ino()) {
                    continue; // the truncated file itself, rewritten with the same head: new content, not the copy
                }
                if (identity.anchorMatches(c, s) && (byHash || c.size() >= s.headLen)) {
                    return new Check(Verdict.CONTINUES, s, false); // the anchor proves it, written or not
                }
                if (pending == null && stillFor < COPY_SETTLE_MS) {
                    pending = Check.WAIT; // probably the copy, still being written
                } else if (pending == null && c.size() < s.resumePos) {
                    pending = new Check(Verdict.CONSUMED, s, false);
                }
            }
        }
        if (heldAs != null && pending == Check.WAIT) {
            identity.say(c.path(), "copy", "{} holds the same bytes as {}, which is being read: held for up to {} ms"
                    + " after it stops growing, in case it is a copytruncate copy", heldAs);
        }
        return pending != null ? pending : own ? Check.OWN : Check.NEW;
    }

    /**
     * Does {@code c} hold what was read from {@code orig} (through {@code ch}, {@code origSize} bytes
     * now) so far, or, if shorter, its last bytes?
     */
    private boolean sameBytesAsRead(Candidate c, TailedFile orig, FileChannel ch, long origSize) throws IOException {
        if (c.size() > origSize) {
            // a copy is never longer than its original, which only grows until it is truncated (model seed
            // 5259075012295821851: the copytruncate copy of another stream with the same head was held as
            // this file's copy until that stream's copy window had passed, then shipped again in full)
            return false;
        }
        HandlePool pool = tailer.pool();
        long r = orig.splitter.readPos();
        if (c.size() >= r) {
            return pool.holdsAnchor(c.ch(), r, orig.anchorLen, orig.anchorHash);
        }
        int n = (int) Math.min(LineSplitter.ANCHOR_MAX, c.size());
        return pool.hashAt(c.ch(), c.size() - n, n) == pool.hashAt(ch, c.size() - n, n);
    }
}
