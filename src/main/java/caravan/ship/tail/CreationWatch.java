package caravan.ship.tail;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the reader that a file matching the glob was created (inotify on Linux), so a new file, a
 * rotated log's successor included, is read within a poll instead of at the next scan. Creations
 * only, not writes: a write event per line would wake the JDK's watcher thread thousands of times a
 * second. A file created empty cannot be identified yet, so it is checked at each pass until it has
 * bytes, for at most a scan interval. Without watches (none left, another file system) the scans
 * still find every file, later; that is said once. Reader thread only.
 */
final class CreationWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CreationWatch.class);

    private final Glob glob;
    private final long patience;
    private final WatchService service;
    private final Set<Path> watched = new HashSet<>();
    /** Created files that were still empty: path -> when to stop checking. */
    private final Map<Path, Long> empty = new HashMap<>();
    private boolean warned;

    /** {@code on} false: no watch at all (the endpoint's watchNewFiles), nothing said. */
    CreationWatch(Glob glob, long patience, boolean on) {
        this.glob = glob;
        this.patience = patience;
        WatchService s = null;
        try {
            s = on ? FileSystems.getDefault().newWatchService() : null;
        } catch (IOException | UnsupportedOperationException e) {
            unavailable(e);
        }
        this.service = s;
    }

    /** Watches {@code dir} for creations, once; a directory that cannot be watched is left to the scans. */
    void watch(Path dir) {
        if (service == null || dir == null || watched.contains(dir) || !Files.isDirectory(dir)) {
            return;
        }
        try {
            dir.register(service, StandardWatchEventKinds.ENTRY_CREATE);
            watched.add(dir);
        } catch (IOException | UnsupportedOperationException | ClosedWatchServiceException e) {
            unavailable(e);
        }
    }

    /** True if a matching file was created since the last call, or an empty one has bytes now: scan. */
    boolean changed(long now) {
        if (service == null) {
            return false;
        }
        boolean changed = false;
        WatchKey key;
        try {
            while ((key = service.poll()) != null) {
                changed |= drain(key, now);
            }
        } catch (ClosedWatchServiceException e) {
            return false;
        }
        for (Iterator<Map.Entry<Path, Long>> it = empty.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Long> e = it.next();
            long size = size(e.getKey());
            if (size != 0 || now >= e.getValue()) {
                it.remove();
                changed |= size > 0;
            }
        }
        return changed;
    }

    private boolean drain(WatchKey key, long now) {
        boolean changed = false;
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> ev : key.pollEvents()) {
            if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                changed = true;
            } else if (ev.context() instanceof Path name) {
                Path p = dir.resolve(name);
                if (glob.matches(p)) {
                    if (size(p) == 0) {
                        empty.put(p, now + patience);
                    } else {
                        changed = true;
                    }
                }
            }
        }
        if (!key.reset()) {
            watched.remove(dir); // the directory went away; a later scan that finds it again re-registers it
        }
        return changed;
    }

    /** The file's size, 0 if empty, -1 if it is gone or unreadable. */
    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private void unavailable(Exception e) {
        if (!warned) {
            warned = true;
            LOG.warn("New files of {} are found by the scan every scanInterval, not at once: cannot watch for them ({});"
                    + " raise fs.inotify.max_user_instances and max_user_watches, or set watchNewFiles=false", glob.pattern(), e.toString());
        }
    }

    @Override
    public void close() {
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                LOG.debug("Closing the watch of {}: {}", glob.pattern(), e.toString());
            }
        }
    }
}
