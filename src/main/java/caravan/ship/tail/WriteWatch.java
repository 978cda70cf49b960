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
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the reader's long rest when a file it tails is written (inotify on the files' directories), so
 * a line after a silence is read at once instead of up to idlePollDelay later.
 *
 * <p>Armed only while the reader rests longer than pollDelay with nothing in flight. Under a steady
 * flow the polls read the lines anyway, and a write event per line would wake two threads per line
 * (the JDK's watcher and this one). Writes to other files of those directories cost the same wake-ups
 * and end nothing: a directory busier than {@link #NOISY_PER_SECOND} such writes a second is left to
 * the timed rests for {@link #NOISY_PAUSE_MS}. Without inotify (another file system, no watches left)
 * the rests still read every line, later; that is said once.
 *
 * <p>{@link #arm} and {@link #disarm}: the reader thread only. The watcher thread only wakes it.
 */
final class WriteWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteWatch.class);
    static final int NOISY_PER_SECOND = 20;
    static final long NOISY_PAUSE_MS = 60_000;
    private static final long NOISE_WINDOW_MS = 10_000;

    private final Glob glob;
    private final Runnable wake;
    private final String threadName;
    private final boolean on;
    private WatchService service;
    private final Map<Path, WatchKey> keys = new HashMap<>();
    /** The tailed files when last armed: the watcher wakes the reader for these and for new matches. */
    private volatile Set<Path> files = Set.of();
    private volatile boolean armed;
    private long armedAt;
    private long pausedUntil;
    private final AtomicInteger others = new AtomicInteger();
    /** Directories inotify refused: left to the timed rests. */
    private final Set<Path> refused = new HashSet<>();
    private boolean failed;
    private boolean warned;

    /** {@code on} false: never armed (the endpoint's wakeOnWrite). */
    WriteWatch(Glob glob, Runnable wake, boolean on, String threadName) {
        this.glob = glob;
        this.wake = wake;
        this.on = on;
        this.threadName = threadName;
    }

    /**
     * Before a long rest: wake on writes to {@code tailed} and to files matching the glob, from now on.
     * The glob's base directory is watched too: a file closed as inactive is no longer among them.
     *
     * @return true if a watch was just set: a write since the reader last looked raised no event, so
     *     it should look once more before it rests long
     */
    boolean arm(long now, Set<Path> tailed) {
        if (!on || now < pausedUntil || !started()) {
            return false;
        }
        if (armed) {
            long armedFor = now - armedAt;
            if (others.get() > NOISY_PER_SECOND * (1 + armedFor / 1000)) {
                disarm();
                pausedUntil = now + NOISY_PAUSE_MS;
                LOG.debug("Other files beside {} are written often: back to timed rests for {} ms", glob.pattern(), NOISY_PAUSE_MS);
                return false;
            }
            if (armedFor > NOISE_WINDOW_MS) { // the rate of the last ten seconds or so, not of the whole quiet
                armedAt = now;
                others.set(0);
            }
        }
        if (armed && tailed.equals(files)) {
            return false;
        }
        if (!armed) {
            armedAt = now;
            others.set(0);
            armed = true; // before the watches: a write as they are set still wakes
        }
        Set<Path> dirs = new HashSet<>();
        dirs.add(glob.base());
        tailed.forEach(p -> dirs.add(p.getParent()));
        for (Iterator<Map.Entry<Path, WatchKey>> it = keys.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, WatchKey> e = it.next();
            if (!dirs.contains(e.getKey())) {
                e.getValue().cancel();
                it.remove();
            }
        }
        for (Path dir : dirs) {
            // a directory not there (yet) is no failure: the glob's base may come later
            if (dir != null && !keys.containsKey(dir) && !refused.contains(dir) && Files.isDirectory(dir)) {
                try {
                    keys.put(dir, dir.register(service, StandardWatchEventKinds.ENTRY_MODIFY));
                } catch (IOException | UnsupportedOperationException | ClosedWatchServiceException e) {
                    refused.add(dir);
                    unavailable(e);
                }
            }
        }
        files = Set.copyOf(tailed);
        return true;
    }

    /** Lines are coming: the polls read them. */
    void disarm() {
        if (!armed) {
            return;
        }
        armed = false;
        keys.values().forEach(WatchKey::cancel);
        keys.clear();
    }

    boolean armed() {
        return armed;
    }

    /** The watch service and its thread, on the first arming; false when inotify is not to be had. */
    private boolean started() {
        if (service != null) {
            return true;
        }
        if (failed) {
            return false;
        }
        try {
            service = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            failed = true;
            unavailable(e);
            return false;
        }
        Thread watcher = new Thread(this::watch, threadName); // ends when close() closes the service
        watcher.setDaemon(true);
        watcher.start();
        return true;
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = service.take();
                Path dir = (Path) key.watchable();
                boolean ours = false;
                for (WatchEvent<?> ev : key.pollEvents()) {
                    if (ev.kind() == StandardWatchEventKinds.OVERFLOW
                            || ev.context() instanceof Path name && isOurs(dir.resolve(name))) {
                        ours = true;
                    } else if (others.incrementAndGet() % NOISY_PER_SECOND == 0) {
                        ours = true; // once in so many: the reader's next arm() weighs the noise
                    }
                }
                key.reset();
                if (armed && ours) {
                    wake.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the tailer stopped
        }
    }

    private boolean isOurs(Path p) {
        return files.contains(p) || glob.matches(p);
    }

    private void unavailable(Exception e) {
        if (!warned) {
            warned = true;
            LOG.warn("A line written to {} after a silence is read at the next rest's end (idlePollDelay), not at once: cannot"
                    + " watch for writes ({}); raise fs.inotify.max_user_instances and max_user_watches, or set wakeOnWrite=false",
                    glob.pattern(), e.toString());
        }
    }

    @Override
    public void close() {
        armed = false;
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                LOG.debug("Closing the write watch of {}: {}", glob.pattern(), e.toString());
            }
        }
    }
}
