package caravan.ship.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
                if (st.size() == 0) {
                    continue; // nothing to identify it by yet
                }
                Candidate c = Candidate.open(p, st, o.fingerprintBytes());
                if (c != null) {
                    candidates.add(c);
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
            identity.match(candidates, firstScan);
            if (firstScan) {
                for (Stream s : table.streams()) {
                    if (s.boundTo == null && s.truncatedAt == now) {
                        LOG.info("{} was truncated or rewritten while stopped (checkpoint at {}); looking for its copy",
                                s, s.resumePos);
                    }
                }
                candidates.addAll(renamedWhileDown(seen));
            }
        } finally {
            for (Candidate c : candidates) {
                c.close();
            }
        }
        table.forget(wall);
        firstScan = false;
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
        table.release(f, tailer.wall());
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
     * Returns the candidates opened, for the caller to close.
     */
    private List<Candidate> renamedWhileDown(Set<FileKey> seen) throws IOException {
        Map<Path, Map<FileKey, Path>> dirs = new HashMap<>();
        List<Candidate> opened = new ArrayList<>();
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
                continue;
            }
            try {
                FileKey.Stat st = FileKey.stat(p);
                if (st.size() <= s.resumePos) {
                    continue; // nothing unread
                }
                Candidate c = Candidate.open(p, st, o.fingerprintBytes());
                if (c == null) {
                    continue;
                }
                opened.add(c);
                if (st.key().equals(new FileKey(s.dev, s.ino)) && identity.headMatches(c, s) && identity.anchorMatches(c, s)) {
                    LOG.info("{} was renamed to {} while stopped; reading its last {} bytes", s.path, p, st.size() - s.resumePos);
                    metrics.rotation("rename");
                    TailedFile f = identity.bind(c, s);
                    f.attached = false;
                    f.detachedAt = tailer.now();
                }
            } catch (IOException e) {
                LOG.debug("Cannot look at {}: {}", p, e.toString());
            }
        }
        return opened;
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

    /** A file not bound to a stream yet, open for a look at its head. */
    record Candidate(Path path, FileKey key, long size, byte[] head, FileChannel ch) {
        static Candidate open(Path p, FileKey.Stat st, int fingerprintBytes) {
            try {
                FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
                int n = (int) Math.min(st.size(), fingerprintBytes);
                byte[] head = new byte[n];
                if (HandlePool.readAt(ch, 0, head, 0, n) != n) {
                    ch.close();
                    return null;
                }
                return new Candidate(p, st.key(), st.size(), head, ch);
            } catch (IOException e) {
                LOG.debug("Cannot open {} yet: {}", p, e.toString());
                return null;
            }
        }

        void close() {
            try {
                ch.close();
            } catch (IOException e) {
                // read-only channel
            }
        }
    }
}
