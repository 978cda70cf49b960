package caravan.ship.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the files: expands the glob, notices renames, deletions and truncations of the files
 * being read, and hands every file not bound yet to {@link Identity}, which tells which stream it
 * carries. Reader thread only.
 */
final class Discovery {
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

    private final Tailer tailer;
    private final TailOptions o;
    private final TailMetrics metrics;
    private final StreamTable table;
    private final Identity identity;
    private boolean scanNow = true;
    private boolean firstScan = true;

    Discovery(Tailer tailer, StreamTable table, Identity identity) {
        this.tailer = tailer;
        this.o = tailer.options();
        this.metrics = tailer.metrics();
        this.table = table;
        this.identity = identity;
    }

    /** Something changed that the next scan should see at once (a rename, a truncation). */
    boolean scanDue() {
        return scanNow;
    }

    void rescan() {
        scanNow = true;
    }

    void scan() throws IOException {
        scanNow = false;
        long now = tailer.now();
        long wall = tailer.wall();
        List<Path> paths = o.glob().expand(o.exclude());
        Set<FileKey> seen = new HashSet<>();
        Set<Path> seenPaths = new HashSet<>();
        List<Candidate> candidates = new ArrayList<>();
        List<Fresh> fresh = new ArrayList<>();
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
                TailedFile f = table.files.get(st.key());
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
                if (st.size() > 0) { // else nothing to identify it by yet
                    fresh.add(new Fresh(p, st));
                }
            }
            for (TailedFile f : new ArrayList<>(table.files.values())) {
                if (!seen.contains(f.key) && f.attached) {
                    detach(f);
                }
            }
            identity.retain(seen, seenPaths);
            if (firstScan) {
                truncatedWhileDown(seen, now);
            }
            knownFirst(fresh);
            for (int next = 0; next < fresh.size(); ) {
                next = lookAt(fresh, next, candidates);
                identity.match(candidates, firstScan);
                closeAll(candidates);
            }
            if (firstScan) {
                for (Stream s : table.streams()) {
                    if (s.boundTo == null && s.truncatedAt == now) {
                        LOG.info("{} was truncated or rewritten while stopped (checkpoint at {}); looking for its copy",
                                s, s.resumePos);
                    }
                }
                renamedWhileDown(seen);
            }
        } finally {
            closeAll(candidates);
        }
        table.forget(wall);
        firstScan = false;
    }

    /**
     * Files that carry a known stream's inode first: they are found again (a restart, a rename)
     * before any other file is judged against the streams, as when all were looked at together.
     */
    private void knownFirst(List<Fresh> fresh) {
        if (fresh.size() <= tailer.pool().lookBudget()) {
            return; // one batch: match orders them itself
        }
        Set<FileKey> known = new HashSet<>();
        for (Stream s : table.streams()) {
            if (s.boundTo == null) {
                known.add(new FileKey(s.dev, s.ino));
            }
        }
        fresh.sort(Comparator.comparing(f -> !known.contains(f.stat().key())));
    }

    private void closeAll(List<Candidate> candidates) {
        for (Candidate c : candidates) {
            c.close(tailer.pool());
        }
        candidates.clear();
    }

    /**
     * Opens the next new files for a look at their heads, as many as the handle pool allows at
     * once: maxOpenFiles bounds these handles too, and a scan looks at 10,000 new files a batch at
     * a time, not all at once. Every batch has at least one look, even beyond the limit, so that
     * new files are never left unread behind rotated-away files being drained. Returns the index
     * of the first file not looked at.
     */
    private int lookAt(List<Fresh> fresh, int from, List<Candidate> candidates) {
        int budget = tailer.pool().lookBudget();
        int i = from;
        while (i < fresh.size() && candidates.size() < budget) {
            Fresh f = fresh.get(i);
            Candidate c = Candidate.open(f.path(), f.stat(), o.fingerprintBytes(), tailer.pool(), candidates.isEmpty());
            if (c == Candidate.NO_ROOM) {
                break;
            }
            i++;
            if (c != null) {
                candidates.add(c);
            }
        }
        return i;
    }

    /** A file found by the glob and not bound to a stream yet. */
    private record Fresh(Path path, FileKey.Stat stat) {
    }

    /** The file shrank or no longer holds what was read: copytruncate, or truncated in place. */
    void truncated(TailedFile f, long size) {
        Stream s = f.stream;
        long unread = Math.max(0, f.lastSize - f.splitter.readPos());
        metrics.rotation("truncate");
        if (f.joiner != null && f.joiner.hasPending()) {
            f.joiner.flush(f);
        }
        LOG.info("{} was truncated or rewritten (now {} bytes); its stream {} ends here{}", f.path, size, s.id,
                unread > 0 ? " with " + unread + " bytes unread, recovered only if the rotated copy matches the glob" : "");
        s.truncatedAt = tailer.now();
        table.release(f, tailer.wall());
        scanNow = true;
    }

    /** A rotated-away file read to its end, quiet for drainTimeout and fully acknowledged. */
    void drained(TailedFile f) {
        LOG.debug("Done with rotated-away file {}", f);
        boolean deleted = findByInode(f) == null;
        table.release(f, tailer.wall());
        if (deleted) {
            table.inodeFreed(f.stream);
        }
    }

    /** The file is no longer at its path: renamed (read on to its end) or deleted. */
    void detach(TailedFile f) {
        if (!f.attached) {
            return;
        }
        f.attached = false;
        f.detachedAt = tailer.now();
        scanNow = true;
        follow(f);
    }

    /**
     * The handle pool could not open the file by its name. An attached file was renamed or deleted
     * since the last look ({@link #detach}); a rotated-away one, waiting for a handle to be read to
     * its end, was renamed again or deleted meanwhile: unless found by its inode, it can never be
     * read, and its stream is let go (else it would wait for ever, and a copy of it be held with it).
     */
    void vanished(TailedFile f) {
        if (f.attached) {
            detach(f);
        } else {
            follow(f);
        }
    }

    /** Finds a file no longer at its path by its inode, or lets it go if it has no handle to read on from. */
    private void follow(TailedFile f) {
        Path found = findByInode(f);
        if (found != null) {
            metrics.rotation("rename");
            LOG.debug("{} was renamed to {}; reading it to its end", f.path, found);
            f.path = found;
        } else {
            metrics.rotation("remove");
            if (f.ch == null) {
                long unread = Math.max(f.lastSize, f.sizeSeen) - f.splitter.readPos();
                if (unread > 0 || f.sizeSeen < 0) {
                    // a size never seen: whatever was beyond the read position is lost
                    identity.skipped(f.path, "deleted-unread", "it was deleted with " + (unread > 0 ? unread + " bytes"
                            : "whatever it held after offset " + f.splitter.readPos()) + " unread while it had no handle");
                }
                table.release(f, tailer.wall());
                table.inodeFreed(f.stream);
            }
        }
    }

    /** logrotate renames in place: look for the inode next to its old name. */
    private static Path findByInode(TailedFile f) {
        Path dir = f.path.toAbsolutePath().getParent();
        return dir == null ? null : inodesIn(dir).get(f.key);
    }

    /**
     * After a restart: a stream whose inode is still matched by the glob but which is not found
     * again there (match binds it, and clears the mark, if its head and anchor are still there)
     * was truncated or rewritten while Caravan was down. Marked as truncated now, so that its
     * copytruncate copy is judged as one ({@link Identity#copyCheck}): continued when it holds the
     * anchor, waited for while it may still grow, and otherwise, when it holds only what was
     * already shipped (logrotate copied, lines were appended and shipped, the kill came before the
     * truncate), followed from its end instead of being shipped again as a new file.
     */
    private void truncatedWhileDown(Set<FileKey> seen, long now) {
        for (Stream s : table.streams()) {
            if (s.boundTo == null && s.truncatedAt == 0 && seen.contains(new FileKey(s.dev, s.ino))) {
                s.truncatedAt = now;
            }
        }
    }

    /**
     * After a restart: streams not found through the glob may have been renamed out of it while
     * Caravan was down (logrotate's app.log to app.log.1 with a glob of *.log). Their inode, in
     * their directory, with the same head and anchor, is drained like any rotated-away file.
     * One look at a time. A stream whose inode is not there either lost its file while Caravan was
     * down, and forgets the inode number (model seed -7110355782704500523 on ext4: app.log.1, deleted
     * while down, gave its number to a later copytruncate copy of app.log, which began alike; the copy
     * was bound to app.log.1's stream by inode, head and anchor, and shipped app.log's lines again).
     */
    private void renamedWhileDown(Set<FileKey> seen) {
        Map<Path, Map<FileKey, Path>> dirs = new HashMap<>();
        for (Stream s : new ArrayList<>(table.streams())) {
            if (s.boundTo != null || seen.contains(new FileKey(s.dev, s.ino))) {
                continue;
            }
            Path dir = Path.of(s.path).toAbsolutePath().getParent();
            if (dir == null) {
                continue;
            }
            Path p = dirs.computeIfAbsent(dir, Discovery::inodesIn).get(new FileKey(s.dev, s.ino));
            if (p == null) {
                if (s.ino != Stream.NO_INODE) {
                    table.inodeFreed(s); // deleted while down: the next file created may take its number
                }
                continue;
            }
            try {
                FileKey.Stat st = FileKey.stat(p);
                if (st.size() <= s.resumePos) {
                    continue; // nothing unread
                }
                Candidate c = Candidate.open(p, st, o.fingerprintBytes(), tailer.pool(), true);
                if (c == null) {
                    continue;
                }
                try {
                    if (st.key().equals(new FileKey(s.dev, s.ino)) && identity.headMatches(c, s) && identity.anchorMatches(c, s)) {
                        LOG.info("{} was renamed to {} while stopped; reading its last {} bytes", s.path, p, st.size() - s.resumePos);
                        metrics.rotation("rename");
                        TailedFile f = identity.bind(c, s);
                        f.attached = false;
                        f.detachedAt = tailer.now();
                    }
                } finally {
                    c.close(tailer.pool());
                }
            } catch (IOException e) {
                LOG.debug("Cannot look at {}: {}", p, e.toString());
            }
        }
    }

    static Map<FileKey, Path> inodesIn(Path dir) {
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

    /** A file not bound to a stream yet, open for a look at its head, on a handle from the pool. */
    record Candidate(Path path, FileKey key, long size, byte[] head, FileChannel ch) {
        /** There was no handle to look with: the file is looked at by a later scan. */
        static final Candidate NO_ROOM = new Candidate(null, null, 0, null, null);

        /** The candidate, NO_ROOM, or null if the file cannot be read now. */
        static Candidate open(Path p, FileKey.Stat st, int fingerprintBytes, HandlePool pool, boolean evenBeyondMax) {
            FileChannel ch = null;
            try {
                ch = pool.openLook(p, evenBeyondMax);
                if (ch == null) {
                    return NO_ROOM;
                }
                int n = (int) Math.min(st.size(), fingerprintBytes);
                byte[] head = new byte[n];
                if (HandlePool.readAt(ch, 0, head, 0, n) == n) {
                    Candidate c = new Candidate(p, st.key(), st.size(), head, ch);
                    ch = null;
                    return c;
                }
            } catch (IOException e) {
                LOG.debug("Cannot open {} yet: {}", p, e.toString());
            } finally {
                if (ch != null) {
                    pool.release(ch);
                }
            }
            return null;
        }

        void close(HandlePool pool) {
            pool.release(ch);
        }
    }
}
